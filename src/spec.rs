//! The spec as data: every operation of `openapi/eg.yaml` with its method,
//! path template, parameters, body fields and limits, readable at run time.
//!
//! `eg-codegen` generates [`OPERATIONS`] from the spec beside the types and
//! the operations, so a part that must follow the spec without being a
//! client (the emulator's routes and request checks, the CLI's subcommands
//! and flags, the bench's route) reads it here instead of keeping a copy.
//! The checks ([`Scalar::check_json`], [`Scalar::check_text`],
//! [`BodySpec::check`]) say what the spec's schema says; each generated
//! operation builder names its row as `SPEC`.
//!
//! ```
//! use eg_client::spec::{Location, OperationSpec};
//!
//! let operate = OperationSpec::find("ResumeEventStreaming").expect("in the spec");
//! assert_eq!(operate.method, "POST");
//! assert_eq!(operate.path, "/v1/{project_id}/eventstreamings/operate/{eventstreaming_id}");
//! let id = operate.param("eventstreaming_id").expect("a path parameter");
//! assert_eq!(id.location, Location::Path);
//! let body = operate.body.expect("a JSON body");
//! assert_eq!(body.fields[0].schema.enum_values, ["START", "PAUSE"]);
//! ```

use serde_json::Value;

pub use crate::generated::spec::OPERATIONS;

/// One operation of the spec.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OperationSpec {
    /// The `operationId`, such as `ResumeEventStreaming`.
    pub id: &'static str,
    /// The method, upper case.
    pub method: &'static str,
    /// The path template as the spec writes it, `{name}` for a parameter.
    pub path: &'static str,
    /// The spec's summary, empty when it has none.
    pub summary: &'static str,
    /// Path, query and header parameters in spec order, bound ones included.
    pub params: &'static [ParamSpec],
    /// The JSON request body; `None` when the operation takes none.
    pub body: Option<BodySpec>,
    /// The documented 2xx statuses.
    pub success: &'static [u16],
    /// The documented error statuses.
    pub errors: &'static [u16],
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// A `{name}` segment of the path.
    Path,
    /// A query-string key.
    Query,
    /// A request header.
    Header,
}

/// A parameter the client sets itself rather than the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    /// The path parameter `project_id`, from the client's configuration.
    ProjectId,
    /// The header `X-Auth-Token`, sent when the credentials are a token.
    AuthToken,
}

/// One path, query or header parameter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParamSpec {
    /// The wire name as the spec writes it (`eventstreaming_id`,
    /// `X-Auth-Token`).
    pub name: &'static str,
    /// Where it goes.
    pub location: Location,
    /// Whether a request must carry it (path parameters always must).
    pub required: bool,
    /// The spec's description, empty when it has none.
    pub description: &'static str,
    /// Its schema.
    pub schema: Scalar,
    /// Set by the client itself: no setter takes it.
    pub binding: Option<Binding>,
}

/// The JSON request body of an operation: an object's fields.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BodySpec {
    /// Whether a request must carry a body.
    pub required: bool,
    /// The object's properties in spec order.
    pub fields: &'static [FieldSpec],
    /// Whether fields the spec does not name are accepted (OpenAPI's
    /// default when `additionalProperties` is absent).
    pub additional_properties: bool,
}

/// One field of a request body.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FieldSpec {
    /// The JSON key.
    pub name: &'static str,
    /// Whether the body must have it.
    pub required: bool,
    /// The spec's description, empty when it has none.
    pub description: &'static str,
    /// Its schema.
    pub schema: Scalar,
}

/// The JSON type of a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `type: string`.
    String,
    /// `type: boolean`.
    Boolean,
    /// `type: integer`.
    Integer,
    /// `type: number`.
    Number,
    /// `type: object`.
    Object,
    /// `type: array`.
    Array,
    /// A schema with no single type (`allOf`, `oneOf`, none given): any value.
    Any,
}

impl Kind {
    /// The spec's word for the type, as a message says it.
    pub fn name(self) -> &'static str {
        match self {
            Self::String => "a string",
            Self::Boolean => "a boolean",
            Self::Integer => "an integer",
            Self::Number => "a number",
            Self::Object => "an object",
            Self::Array => "an array",
            Self::Any => "any value",
        }
    }
}

/// A parameter's or field's schema: its type and the constraints the spec
/// puts on it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scalar {
    /// The JSON type.
    pub kind: Kind,
    /// A string enum's values; empty when it is not an enum.
    pub enum_values: &'static [&'static str],
    /// `minLength`, in characters.
    pub min_length: Option<usize>,
    /// `maxLength`, in characters.
    pub max_length: Option<usize>,
    /// `pattern`, as the spec writes it (not checked here).
    pub pattern: Option<&'static str>,
    /// `minimum`.
    pub minimum: Option<f64>,
    /// `maximum`.
    pub maximum: Option<f64>,
}

/// How a value breaks its schema; the message reads after the name of the
/// parameter or field.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Violation {
    /// Not of the schema's type.
    #[error("must be {}", .expected.name())]
    Type {
        /// The schema's type.
        expected: Kind,
    },
    /// Not one of the enum's values.
    #[error("must be one of {}", .allowed.join(", "))]
    NotInEnum {
        /// The enum's values.
        allowed: &'static [&'static str],
    },
    /// Shorter than `minLength`.
    #[error("is {length} characters, at least {min}")]
    TooShort {
        /// The value's length in characters.
        length: usize,
        /// `minLength`.
        min: usize,
    },
    /// Longer than `maxLength`.
    #[error("is {length} characters, at most {max}")]
    TooLong {
        /// The value's length in characters.
        length: usize,
        /// `maxLength`.
        max: usize,
    },
    /// Below `minimum`.
    #[error("is {value}, at least {min}")]
    BelowMinimum {
        /// The value.
        value: f64,
        /// `minimum`.
        min: f64,
    },
    /// Above `maximum`.
    #[error("is {value}, at most {max}")]
    AboveMaximum {
        /// The value.
        value: f64,
        /// `maximum`.
        max: f64,
    },
    /// A required parameter or field is absent.
    #[error("is required")]
    Missing,
    /// A body field the spec does not name, where it accepts no others.
    #[error("is not a field of the body")]
    Unknown,
}

impl OperationSpec {
    /// The operation of the spec with this `operationId`.
    pub fn find(id: &str) -> Option<&'static OperationSpec> {
        OPERATIONS.iter().find(|op| op.id == id)
    }

    /// The parameter with this wire name; a header's name matches in any
    /// case, as HTTP's do.
    pub fn param(&self, name: &str) -> Option<&'static ParamSpec> {
        self.params.iter().find(|p| match p.location {
            Location::Header => p.name.eq_ignore_ascii_case(name),
            Location::Path | Location::Query => p.name == name,
        })
    }
}

impl Scalar {
    /// Checks a JSON value: its type, then the enum, lengths and range.
    pub fn check_json(&self, value: &Value) -> Result<(), Violation> {
        let wrong = Violation::Type {
            expected: self.kind,
        };
        match self.kind {
            Kind::String => self.check_str(value.as_str().ok_or(wrong)?),
            Kind::Boolean => value.as_bool().map(drop).ok_or(wrong),
            Kind::Integer => {
                let n = value.as_i64().map(|n| n as f64);
                let n = n.or_else(|| value.as_u64().map(|n| n as f64));
                self.check_range(n.ok_or(wrong)?)
            }
            Kind::Number => self.check_range(value.as_f64().ok_or(wrong)?),
            Kind::Object => value.as_object().map(drop).ok_or(wrong),
            Kind::Array => value.as_array().map(drop).ok_or(wrong),
            Kind::Any => Ok(()),
        }
    }

    /// Checks a value that arrives as text (a path segment, a query value,
    /// a header): parsed as the schema's type, then checked.
    pub fn check_text(&self, text: &str) -> Result<(), Violation> {
        let wrong = Violation::Type {
            expected: self.kind,
        };
        match self.kind {
            Kind::String | Kind::Any => self.check_str(text),
            Kind::Boolean => match text {
                "true" | "false" => Ok(()),
                _ => Err(wrong),
            },
            Kind::Integer => self.check_range(text.parse::<i64>().map_err(|_| wrong)? as f64),
            Kind::Number => {
                let n = text.parse::<f64>().map_err(|_| wrong.clone())?;
                if n.is_finite() {
                    self.check_range(n)
                } else {
                    Err(wrong)
                }
            }
            Kind::Object | Kind::Array => Err(wrong),
        }
    }

    fn check_str(&self, s: &str) -> Result<(), Violation> {
        if !self.enum_values.is_empty() && !self.enum_values.contains(&s) {
            return Err(Violation::NotInEnum {
                allowed: self.enum_values,
            });
        }
        let length = s.chars().count();
        if let Some(min) = self.min_length
            && length < min
        {
            return Err(Violation::TooShort { length, min });
        }
        if let Some(max) = self.max_length
            && length > max
        {
            return Err(Violation::TooLong { length, max });
        }
        Ok(())
    }

    fn check_range(&self, value: f64) -> Result<(), Violation> {
        if let Some(min) = self.minimum
            && value < min
        {
            return Err(Violation::BelowMinimum { value, min });
        }
        if let Some(max) = self.maximum
            && value > max
        {
            return Err(Violation::AboveMaximum { value, max });
        }
        Ok(())
    }
}

impl BodySpec {
    /// Checks a request body: an object, with every required field, no
    /// field the spec does not name (unless it accepts others), and each
    /// field's value; the first problem comes back with the field's name
    /// (`body` when the body is not an object).
    pub fn check(&self, body: &Value) -> Result<(), (String, Violation)> {
        let Some(object) = body.as_object() else {
            return Err((
                "body".to_owned(),
                Violation::Type {
                    expected: Kind::Object,
                },
            ));
        };
        for field in self.fields {
            match object.get(field.name) {
                Some(value) => field
                    .schema
                    .check_json(value)
                    .map_err(|v| (field.name.to_owned(), v))?,
                None if field.required => return Err((field.name.to_owned(), Violation::Missing)),
                None => {}
            }
        }
        if !self.additional_properties
            && let Some(key) = object
                .keys()
                .find(|k| !self.fields.iter().any(|f| f.name == k.as_str()))
        {
            return Err((key.clone(), Violation::Unknown));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const TEXT: Scalar = Scalar {
        kind: Kind::String,
        enum_values: &[],
        min_length: Some(1),
        max_length: Some(3),
        pattern: None,
        minimum: None,
        maximum: None,
    };
    const COUNT: Scalar = Scalar {
        kind: Kind::Integer,
        minimum: Some(1.0),
        maximum: Some(100.0),
        min_length: None,
        max_length: None,
        ..TEXT
    };
    const BODY: BodySpec = BodySpec {
        required: true,
        fields: &[
            FieldSpec {
                name: "operation",
                required: true,
                description: "",
                schema: Scalar {
                    enum_values: &["START", "PAUSE"],
                    min_length: None,
                    max_length: None,
                    ..TEXT
                },
            },
            FieldSpec {
                name: "force",
                required: false,
                description: "",
                schema: Scalar {
                    kind: Kind::Boolean,
                    min_length: None,
                    max_length: None,
                    ..TEXT
                },
            },
        ],
        additional_properties: false,
    };

    #[test]
    fn lengths_count_characters() {
        assert_eq!(TEXT.check_json(&json!("事件流")), Ok(()));
        assert_eq!(
            TEXT.check_json(&json!("")),
            Err(Violation::TooShort { length: 0, min: 1 })
        );
        let long = TEXT.check_text("abcd").expect_err("4 > 3");
        assert_eq!(long.to_string(), "is 4 characters, at most 3");
        assert_eq!(
            TEXT.check_json(&json!(7))
                .expect_err("a number")
                .to_string(),
            "must be a string"
        );
    }

    #[test]
    fn integers_are_parsed_then_ranged() {
        assert_eq!(COUNT.check_text("100"), Ok(()));
        assert_eq!(
            COUNT.check_text("101").expect_err("too big").to_string(),
            "is 101, at most 100"
        );
        assert_eq!(
            COUNT.check_text("0").expect_err("too small").to_string(),
            "is 0, at least 1"
        );
        assert_eq!(
            COUNT.check_text("1.5").expect_err("not whole").to_string(),
            "must be an integer"
        );
        assert_eq!(
            COUNT
                .check_json(&json!(1.5))
                .expect_err("not whole")
                .to_string(),
            "must be an integer"
        );
    }

    #[test]
    fn a_body_names_the_field_at_fault() {
        assert_eq!(
            BODY.check(&json!({"operation": "START", "force": true})),
            Ok(())
        );
        let fault = |body| {
            let (field, violation) = BODY.check(&body).expect_err("refused");
            format!("{field} {violation}")
        };
        assert_eq!(
            fault(json!({"operation": "STOP"})),
            "operation must be one of START, PAUSE"
        );
        assert_eq!(fault(json!({"force": true})), "operation is required");
        assert_eq!(
            fault(json!({"operation": "START", "force": "yes"})),
            "force must be a boolean"
        );
        assert_eq!(
            fault(json!({"operation": "START", "extra": 1})),
            "extra is not a field of the body"
        );
        assert_eq!(fault(json!(["START"])), "body must be an object");
    }

    #[test]
    fn header_names_match_in_any_case() {
        let operate = OperationSpec::find("ResumeEventStreaming").expect("in the spec");
        let token = operate.param("x-auth-token").expect("the token header");
        assert_eq!(
            (token.name, token.binding),
            ("X-Auth-Token", Some(Binding::AuthToken))
        );
        assert_eq!(operate.param("EVENTSTREAMING_ID"), None);
        assert_eq!(OperationSpec::find("ShowEventStreaming"), None);
    }
}
