//! `eg streaming` made from a hand-made operation whose names collide with
//! eg's own flags: each generated flag gets the documented prefix, eg's
//! flag keeps its meaning, and neither shadows the other.

use std::time::Duration;

use eg_cli::{
    cli::{Cli, Parsed},
    spec_flags::{COLLISION_PREFIX, Target},
};
use eg_client::spec::{
    Binding, BodySpec, FieldSpec, Kind, Location, OperationSpec, ParamSpec, Scalar,
};
use serde_json::json;

const fn scalar(kind: Kind) -> Scalar {
    Scalar {
        kind,
        enum_values: &[],
        min_length: None,
        max_length: None,
        pattern: None,
        minimum: None,
        maximum: None,
    }
}

const fn field(name: &'static str, required: bool, schema: Scalar) -> FieldSpec {
    FieldSpec {
        name,
        required,
        description: "A field.",
        schema,
    }
}

static COLLIDING: OperationSpec = OperationSpec {
    id: "OperateWithClashes",
    method: "POST",
    path: "/v9/{project_id}/things/{thing_id}",
    summary: "",
    params: &[
        ParamSpec {
            name: "project_id",
            location: Location::Path,
            required: true,
            description: "",
            schema: scalar(Kind::String),
            binding: Some(Binding::ProjectId),
        },
        ParamSpec {
            name: "thing_id",
            location: Location::Path,
            required: true,
            description: "",
            schema: scalar(Kind::String),
            binding: None,
        },
        ParamSpec {
            name: "Concurrency",
            location: Location::Header,
            required: false,
            description: "A header.",
            schema: scalar(Kind::String),
            binding: None,
        },
    ],
    body: Some(BodySpec {
        required: true,
        fields: &[
            FieldSpec {
                name: "operation",
                required: true,
                description: "",
                schema: Scalar {
                    enum_values: &["GO"],
                    ..scalar(Kind::String)
                },
            },
            field(
                "timeout",
                false,
                Scalar {
                    minimum: Some(1.0),
                    ..scalar(Kind::Integer)
                },
            ),
            field("rate", false, scalar(Kind::Number)),
            // Kebab case `spec-rate`: the name `rate` took with its prefix.
            field("spec_rate", false, scalar(Kind::Boolean)),
            field("dry_run", true, scalar(Kind::Boolean)),
        ],
        additional_properties: false,
    }),
    success: &[200],
    errors: &[],
};

fn cli() -> Cli {
    Cli::new(&COLLIDING, "operation").expect("the spec drives eg")
}

fn parse(args: &[&str]) -> Result<Parsed, clap::Error> {
    cli().try_parse_from(["eg", "streaming", "go", "t1"].iter().chain(args))
}

#[test]
fn colliding_names_get_the_prefix_in_spec_order() {
    let flags: Vec<(String, Option<String>, Target)> = cli()
        .spec_flags()
        .flags()
        .iter()
        .map(|f| (f.long.clone(), f.collided.clone(), f.target))
        .collect();
    let p = |s: &str| format!("{COLLISION_PREFIX}{s}");
    assert_eq!(
        flags,
        [
            (
                p("concurrency"),
                Some("concurrency".into()),
                Target::Param("Concurrency")
            ),
            (
                p("timeout"),
                Some("timeout".into()),
                Target::Field("timeout")
            ),
            (p("rate"), Some("rate".into()), Target::Field("rate")),
            (p(&p("rate")), Some(p("rate")), Target::Field("spec_rate")),
            (
                p("dry-run"),
                Some("dry-run".into()),
                Target::Field("dry_run")
            ),
        ]
    );
}

#[test]
fn each_flag_keeps_its_own_meaning() {
    let parsed = parse(&[
        "--timeout",
        "2",
        "--spec-timeout",
        "5",
        "--rate",
        "10",
        "--spec-rate",
        "0.5",
        "--spec-spec-rate",
        "--concurrency",
        "3",
        "--spec-concurrency",
        "high",
        "--spec-dry-run",
        "false",
    ])
    .expect("valid arguments");
    let Parsed::Streaming { args, request } = parsed else {
        panic!("not eg streaming: {parsed:?}")
    };
    assert_eq!(
        (args.timeout, args.rate, args.concurrency, args.dry_run),
        (Duration::from_secs(2), Some(10.0), 3, false)
    );
    assert_eq!(args.ids, ["t1"]);
    assert_eq!(request.operation(), "GO");
    assert_eq!(
        request.body(),
        &json!({"operation": "GO", "timeout": 5, "rate": 0.5, "spec_rate": true, "dry_run": false})
    );
    assert_eq!(request.params(), [("Concurrency", json!("high"))]);
}

#[test]
fn the_help_names_both_flags_and_the_prefix() {
    let help = cli()
        .command()
        .find_subcommand_mut("streaming")
        .and_then(|s| s.find_subcommand_mut("go"))
        // Wide enough that no help line wraps.
        .map(|go| go.clone().term_width(200).render_help().to_string())
        .expect("eg streaming go");
    for line in [
        "--timeout <SECONDS>",
        "--spec-timeout <INTEGER>",
        "A field. [spec: body timeout; prefixed spec-: --timeout is another flag]",
        "--spec-spec-rate",
        "[spec: body spec_rate; prefixed spec-: --spec-rate is another flag]",
        "--spec-dry-run <BOOL>",
        "Options from the spec:",
        "gets the prefix `spec-` (a body field timeout: --spec-timeout)",
    ] {
        assert!(help.contains(line), "{line:?} not in:\n{help}");
    }
}

#[test]
fn a_required_field_is_a_required_flag() {
    let error = cli()
        .try_parse_from(["eg", "streaming", "go", "t1"])
        .expect_err("--spec-dry-run is required");
    assert_eq!(
        (error.kind(), error.exit_code()),
        (clap::error::ErrorKind::MissingRequiredArgument, 2)
    );
    assert!(
        error.to_string().contains("--spec-dry-run <BOOL>"),
        "{error}"
    );
}

#[test]
fn values_are_typed_and_checked_by_the_spec_before_anything_is_sent() {
    for (flag, value, name, reason) in [
        ("--spec-timeout", "0", "INTEGER", "is 0, at least 1"),
        ("--spec-timeout", "1.5", "INTEGER", "must be an integer"),
        ("--spec-rate", "inf", "NUMBER", "must be a finite number"),
        ("--spec-dry-run", "yes", "BOOL", "must be true or false"),
    ] {
        let args = [flag, value, "--spec-dry-run", "true"];
        // The flag under test last, so that clap reports it.
        let args = if flag == "--spec-dry-run" {
            &args[..2]
        } else {
            &args[..]
        };
        let error = parse(args).expect_err("a value the spec refuses");
        assert_eq!(
            (error.kind(), error.exit_code(), error.to_string()),
            (
                clap::error::ErrorKind::ValueValidation,
                2,
                format!(
                    "error: invalid value '{value}' for '{flag} <{name}>': {reason}\n\n\
                     For more information, try '--help'.\n"
                )
            ),
            "{flag} {value}"
        );
    }
}
