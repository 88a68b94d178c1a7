//! The part of `eg streaming` that follows the spec: one subcommand per
//! value of the operation's enum body field, one flag per parameter or body
//! field the client does not set itself.
//!
//! Names are the spec's wire names in kebab case (`force` is `--force`,
//! `X-Language` is `--x-language`). A name already taken, by one of eg's own
//! flags or by an earlier generated one, gets [`COLLISION_PREFIX`] until it
//! is free (a body field `timeout` is `--spec-timeout`), so no flag ever
//! shadows another. Values are checked by clap against the spec's schema
//! (enum values, lengths, ranges, kinds), so a bad one is a usage error
//! before anything is sent, and reach the request as JSON typed per kind.

use std::collections::BTreeSet;

use clap::{
    Arg, ArgAction, ArgMatches,
    builder::{PossibleValuesParser, TypedValueParser},
};
use eg_client::{
    runtime::OperationBuilder,
    spec::{FieldSpec, Kind, Location, OperationSpec, ParamSpec, Scalar},
};
use heck::ToKebabCase;
use serde_json::{Map, Value};

/// What a generated flag gets in front of its name when the name is taken.
pub const COLLISION_PREFIX: &str = "spec-";

/// The heading of the generated flags in `--help`.
pub const HELP_HEADING: &str = "Options from the spec";

/// Why the spec's operation cannot drive `eg streaming`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpecError {
    /// The body has no enum field of that name: no subcommands to make.
    #[error(
        "the spec's {operation} has no body field `{field}` with enum values: \
         eg's subcommands are made from it"
    )]
    NoEnumField {
        /// The operationId.
        operation: &'static str,
        /// The field eg looked for.
        field: String,
    },
    /// Every path parameter is set by the client: nowhere to put the ids.
    #[error("the spec's {operation} has no path parameter for the ids")]
    NoIdParameter {
        /// The operationId.
        operation: &'static str,
    },
}

/// Where a generated flag's value goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A path, query or header parameter, by its wire name.
    Param(&'static str),
    /// A field of the JSON body.
    Field(&'static str),
}

/// One flag made from the spec.
#[derive(Debug, Clone)]
pub struct Flag {
    /// The flag's name, without `--`.
    pub long: String,
    /// The name in kebab case before a collision prefixed it, if one did.
    pub collided: Option<String>,
    /// Where its value goes.
    pub target: Target,
    /// Without it, the command is a usage error.
    pub required: bool,
    schema: &'static Scalar,
    description: &'static str,
    location: &'static str,
}

impl Flag {
    /// The clap id: never one of eg's own, which are Rust field names.
    fn id(&self) -> String {
        format!("spec.{}", self.long)
    }

    /// A boolean that is not required is a switch: present means `true`.
    fn is_switch(&self) -> bool {
        !self.required && matches!(self.schema.kind, Kind::Boolean)
    }

    fn arg(&self) -> Arg {
        let wire = match self.target {
            Target::Param(name) | Target::Field(name) => name,
        };
        let mut help = first_line(self.description).to_owned();
        if !help.is_empty() {
            help.push(' ');
        }
        help.push_str(&format!("[spec: {} {wire}", self.location));
        if let Some(name) = &self.collided {
            help.push_str(&format!(
                "; prefixed {COLLISION_PREFIX}: --{name} is another flag"
            ));
        }
        help.push(']');
        let arg = Arg::new(self.id())
            .long(self.long.clone())
            .help(help)
            .help_heading(HELP_HEADING)
            .required(self.required);
        if self.is_switch() {
            return arg.action(ArgAction::SetTrue);
        }
        let schema = self.schema;
        if !schema.enum_values.is_empty() {
            return arg.value_name("VALUE").value_parser(
                PossibleValuesParser::new(schema.enum_values.iter().copied()).map(Value::String),
            );
        }
        let value_name = match schema.kind {
            Kind::Boolean => "BOOL",
            Kind::Integer => "INTEGER",
            Kind::Number => "NUMBER",
            Kind::Object | Kind::Array => "JSON",
            Kind::String | Kind::Any => "VALUE",
        };
        arg.value_name(value_name)
            .value_parser(move |text: &str| parse(schema, text))
    }
}

/// The first line of a spec description, for one line of `--help`.
fn first_line(text: &str) -> &str {
    text.trim().lines().next().unwrap_or_default().trim()
}

/// `text` as the JSON value of `schema`'s kind, checked against the schema.
pub fn parse(schema: &Scalar, text: &str) -> Result<Value, String> {
    let value = match schema.kind {
        Kind::Boolean => match text {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return Err("must be true or false".into()),
        },
        Kind::Integer => text
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| "must be an integer".to_owned())?,
        Kind::Number => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| "must be a finite number".to_owned())?,
        Kind::Object | Kind::Array => {
            serde_json::from_str(text).map_err(|e| format!("must be JSON: {e}"))?
        }
        Kind::String => Value::String(text.to_owned()),
        // Any value: JSON when it reads as JSON, else the text.
        Kind::Any => serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned())),
    };
    schema.check_json(&value).map_err(|v| v.to_string())?;
    Ok(value)
}

/// The subcommands and flags `eg streaming` makes from one operation.
#[derive(Debug, Clone)]
pub struct SpecFlags {
    spec: &'static OperationSpec,
    enum_field: &'static FieldSpec,
    id_param: &'static ParamSpec,
    flags: Vec<Flag>,
}

impl SpecFlags {
    /// The flags of `spec`, with the values of its body field `enum_field`
    /// as subcommands, and every flag name in `taken` left to eg.
    pub fn new(
        spec: &'static OperationSpec,
        enum_field: &str,
        taken: &BTreeSet<String>,
    ) -> Result<Self, SpecError> {
        let body = spec.body.as_ref();
        let enum_field = body
            .and_then(|b| {
                b.fields
                    .iter()
                    .find(|f| f.name == enum_field && !f.schema.enum_values.is_empty())
            })
            .ok_or_else(|| SpecError::NoEnumField {
                operation: spec.id,
                field: enum_field.to_owned(),
            })?;
        let unbound = || spec.params.iter().filter(|p| p.binding.is_none());
        // The ids go to the last path parameter the client does not set.
        let id_param = unbound()
            .rfind(|p| matches!(p.location, Location::Path))
            .ok_or(SpecError::NoIdParameter { operation: spec.id })?;
        let mut taken = taken.clone();
        let mut flags = Vec::new();
        for param in unbound().filter(|p| !std::ptr::eq(*p, id_param)) {
            let location = match param.location {
                Location::Path => "path",
                Location::Query => "query",
                _ => "header",
            };
            flags.push(flag(
                &mut taken,
                Target::Param(param.name),
                param.required,
                &param.schema,
                param.description,
                location,
            ));
        }
        for field in body
            .map_or(&[][..], |b| b.fields)
            .iter()
            .filter(|f| f.name != enum_field.name)
        {
            flags.push(flag(
                &mut taken,
                Target::Field(field.name),
                field.required,
                &field.schema,
                field.description,
                "body",
            ));
        }
        Ok(Self {
            spec,
            enum_field,
            id_param,
            flags,
        })
    }

    /// The operation these flags are for.
    pub fn spec(&self) -> &'static OperationSpec {
        self.spec
    }

    /// The flags made from the spec, in spec order (parameters, then body
    /// fields).
    pub fn flags(&self) -> &[Flag] {
        &self.flags
    }

    /// The values of the enum field, in spec order, each with its
    /// subcommand name (the value in lower case); a value whose name an
    /// earlier one already has is left out.
    pub fn operations(&self) -> Vec<(&'static str, String)> {
        let mut seen = BTreeSet::new();
        self.enum_field
            .schema
            .enum_values
            .iter()
            .filter_map(|value| {
                let name = value.to_lowercase();
                if seen.insert(name.clone()) {
                    Some((*value, name))
                } else {
                    tracing::warn!(value, "two enum values make the same subcommand");
                    None
                }
            })
            .collect()
    }

    /// The clap arguments of the generated flags.
    pub fn args(&self) -> impl Iterator<Item = Arg> + '_ {
        self.flags.iter().map(Flag::arg)
    }

    /// What `matches` (of the subcommand of `operation`) asks to send.
    pub fn request(&self, operation: &'static str, matches: &ArgMatches) -> Request {
        let mut params = Vec::new();
        let mut body = Map::new();
        body.insert(
            self.enum_field.name.to_owned(),
            Value::String(operation.to_owned()),
        );
        for flag in &self.flags {
            let id = flag.id();
            let value = if flag.is_switch() {
                matches
                    .try_get_one::<bool>(&id)
                    .ok()
                    .flatten()
                    .is_some_and(|on| *on)
                    .then_some(Value::Bool(true))
            } else {
                matches.try_get_one::<Value>(&id).ok().flatten().cloned()
            };
            let Some(value) = value else { continue };
            match flag.target {
                Target::Param(name) => params.push((name, value)),
                Target::Field(name) => {
                    body.insert(name.to_owned(), value);
                }
            }
        }
        Request {
            operation,
            id_param: self.id_param.name,
            params,
            body: Value::Object(body),
        }
    }
}

/// A flag for `target`, named from its wire name and marked taken.
fn flag(
    taken: &mut BTreeSet<String>,
    target: Target,
    required: bool,
    schema: &'static Scalar,
    description: &'static str,
    location: &'static str,
) -> Flag {
    let wire = match target {
        Target::Param(name) | Target::Field(name) => name,
    };
    let mut base = wire.to_kebab_case();
    if base.is_empty() {
        // A wire name of punctuation only: still a flag, never an empty one.
        base = "value".to_owned();
    }
    let mut long = base.clone();
    while taken.contains(&long) {
        long = format!("{COLLISION_PREFIX}{long}");
    }
    taken.insert(long.clone());
    Flag {
        collided: (long != base).then_some(base),
        long,
        target,
        required,
        schema,
        description,
        location,
    }
}

/// One operation for every id: the enum value, the parameters and the body
/// fields the flags gave.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    operation: &'static str,
    id_param: &'static str,
    params: Vec<(&'static str, Value)>,
    body: Value,
}

impl Request {
    /// The enum value sent, e.g. `START`.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The parameters set by flags, by wire name, in spec order.
    pub fn params(&self) -> &[(&'static str, Value)] {
        &self.params
    }

    /// The JSON body: the enum field and every body field a flag set.
    pub fn body(&self) -> &Value {
        &self.body
    }

    /// `builder` for the event stream `id`: the id, every parameter, then
    /// the body.
    pub fn apply<B: OperationBuilder>(&self, builder: B, id: &str) -> B {
        let mut builder = builder.param(self.id_param, Value::String(id.to_owned()));
        for (name, value) in &self.params {
            builder = builder.param(name, value.clone());
        }
        builder.body_json(self.body.clone())
    }
}
