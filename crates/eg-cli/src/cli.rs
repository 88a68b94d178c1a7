//! The `eg` command tree, built at run time: `eg streaming` from the spec
//! ([`crate::spec_flags`]), the other commands from clap's derive.

use std::{collections::BTreeSet, ffi::OsString};

use clap::{ArgMatches, Args, Command, FromArgMatches, Subcommand};
use eg_client::{runtime::OperationBuilder, spec::OperationSpec};

use crate::{
    args::OperateArgs,
    spec_flags::{Request, SpecError, SpecFlags},
};

/// The body field whose enum values are `eg streaming`'s subcommands: a
/// decision of the CLI, not of the spec.
pub const OPERATION_FIELD: &str = "operation";

const EXAMPLES: &str = "\
Examples:
  eg streaming start 6a3f0c2e-1b2d-4e5f-8a9b-0c1d2e3f4a5b --region cn-north-4 --project-id PROJECT
  eg streaming pause --ids-from streams.txt --output json > result.json
  grep nightly streams.txt | eg streaming pause --ids-from - --quiet
  eg streaming start ID --dry-run
  eg emulator --listen 127.0.0.1:8080 --token secret=PROJECT --stream PROJECT/ID
  eg completions bash > /etc/bash_completion.d/eg";

const OPERATE_HELP: &str = "\
Credentials: --token (or EG_TOKEN), else AK/SK from HUAWEICLOUD_SDK_AK and
HUAWEICLOUD_SDK_SK (with HUAWEICLOUD_SDK_SECURITY_TOKEN for temporary keys),
else ak/sk under [basic] in HUAWEICLOUD_SDK_CREDENTIALS_FILE or
~/.huaweicloud/credentials. The project id falls back to the same source,
then HUAWEICLOUD_SDK_PROJECT_ID.

Options from the spec: every parameter and body field of the operation that
eg does not set itself is a flag, its name in kebab case (X-Language:
--x-language); a required one is a required flag. A name taken by one of
eg's own flags gets the prefix `spec-` (a body field timeout: --spec-timeout).

Output: one row per id (table and json in input order, jsonl as each
finishes), written as results come; the summary goes to stderr.
One request is sent alone until an answer proves the credentials, and after
the first authentication failure (HTTP 401) nothing new is sent, so a wrong
key is not locked: the ids left are reported as not_sent.
On SIGINT or SIGTERM nothing new is sent, the requests in flight get up to
--timeout, every id is reported and eg exits 130; a second signal exits at once.
Exit status: 0 all succeeded, 1 any failed or not sent, 2 usage or
configuration error (nothing sent; a closed stdout is one), 3 the results
could not be written, 130 interrupted.

Examples:
  eg streaming start ID1 ID2 --region cn-north-4 --project-id PROJECT
  eg streaming start --ids-from streams.txt --concurrency 16 --output jsonl
  eg streaming pause --ids-from streams.txt --rate 20
  printf 'ID1\\nID2\\n' | eg streaming start --ids-from - --quiet
  EG_TOKEN=... eg streaming start ID --endpoint http://127.0.0.1:8080 --dry-run";

/// The commands that do not follow the spec.
#[derive(Subcommand, Debug)]
enum Fixed {
    /// Run a local emulator of the operate API (same flags as eg-emulator).
    ///
    /// Prints the bound address as the first line of stdout, logs to stderr,
    /// and serves until Ctrl-C.
    Emulator(Box<eg_emulator::EmulatorArgs>),
    /// Print a shell completion script.
    #[command(after_help = "Example:\n  eg completions zsh > ~/.zfunc/_eg")]
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
}

/// What the command line asks for.
#[derive(Debug)]
pub enum Parsed {
    /// `eg streaming <operation>`: eg's flags, and what to send for each id.
    Streaming {
        /// eg's own flags.
        args: Box<OperateArgs>,
        /// The operation, parameters and body fields from the spec's flags.
        request: Request,
    },
    /// `eg emulator`.
    Emulator(Box<eg_emulator::EmulatorArgs>),
    /// `eg completions <shell>`.
    Completions(clap_complete::Shell),
}

/// The `eg` command line for one operation of the spec.
#[derive(Debug, Clone)]
pub struct Cli {
    flags: SpecFlags,
}

impl Cli {
    /// The command line for the operation `B` builds, its subcommands made
    /// from the body field [`OPERATION_FIELD`].
    pub fn for_builder<B: OperationBuilder>() -> Result<Self, SpecError> {
        Self::new(B::SPEC, OPERATION_FIELD)
    }

    /// The command line for `spec`, its subcommands made from the values of
    /// the body field `enum_field`.
    pub fn new(spec: &'static OperationSpec, enum_field: &str) -> Result<Self, SpecError> {
        Ok(Self {
            flags: SpecFlags::new(spec, enum_field, &own_flags())?,
        })
    }

    /// The flags made from the spec.
    pub fn spec_flags(&self) -> &SpecFlags {
        &self.flags
    }

    /// The whole command tree, for parsing, `--help` and completions.
    pub fn command(&self) -> Command {
        let spec = self.flags.spec();
        let operations = self.flags.operations();
        let names: Vec<String> = operations.iter().map(|(_, name)| name.clone()).collect();
        let api = format!("the {} API: {} {}", spec.id, spec.method, spec.path);
        let mut streaming = Command::new("streaming")
            .about(format!("{} event streams", capitalized(&list(&names))))
            .long_about(format!(
                "{} event streams ({api}). Every value of its body field `{}` is a subcommand.",
                capitalized(&list(&names)),
                OPERATION_FIELD
            ))
            .subcommand_required(true)
            .arg_required_else_help(true);
        for (value, name) in &operations {
            // eg's own flags first: their doc comment would replace `about`.
            let operate = OperateArgs::augment_args(Command::new(name.clone()))
                .about(format!(
                    "{} event streams (operation {value})",
                    capitalized(name)
                ))
                .long_about(None)
                .after_help(OPERATE_HELP)
                .args(self.flags.args());
            streaming = streaming.subcommand(operate);
        }
        // Streaming first, as `--help` lists it; the derived commands before
        // `about`, which their doc comment would replace.
        Fixed::augment_subcommands(Command::new("eg").subcommand(streaming))
            .version(env!("CARGO_PKG_VERSION"))
            .about("Start and pause Huawei Cloud EventGrid event streams")
            .long_about(format!(
                "Start and pause Huawei Cloud EventGrid event streams ({api}), one or \
                 thousands at a time, and run a local emulator of that API."
            ))
            .after_help(EXAMPLES)
            .subcommand_required(true)
            .arg_required_else_help(true)
    }

    /// Parses the process's arguments; on a usage error (exit 2), `--help`
    /// or `--version` (exit 0), prints and exits as clap does.
    pub fn parse(&self) -> Parsed {
        match self.try_parse_from(std::env::args_os()) {
            Ok(parsed) => parsed,
            Err(error) => error.exit(),
        }
    }

    /// Parses `args`, the program name first.
    pub fn try_parse_from<I, T>(&self, args: I) -> Result<Parsed, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString> + Clone,
    {
        let mut command = self.command();
        let matches = command.try_get_matches_from_mut(args)?;
        self.parsed(&mut command, &matches)
    }

    fn parsed(&self, command: &mut Command, matches: &ArgMatches) -> Result<Parsed, clap::Error> {
        if let Some(("streaming", streaming)) = matches.subcommand() {
            let Some((name, operate)) = streaming.subcommand() else {
                return Err(command.error(
                    clap::error::ErrorKind::MissingSubcommand,
                    "eg streaming needs an operation",
                ));
            };
            let Some((value, _)) = self
                .flags
                .operations()
                .into_iter()
                .find(|(_, known)| known == name)
            else {
                return Err(command.error(
                    clap::error::ErrorKind::InvalidSubcommand,
                    format!("no operation {name}"),
                ));
            };
            let args = OperateArgs::from_arg_matches(operate)?;
            return Ok(Parsed::Streaming {
                args: Box::new(args),
                request: self.flags.request(value, operate),
            });
        }
        Ok(match Fixed::from_arg_matches(matches)? {
            Fixed::Emulator(args) => Parsed::Emulator(args),
            Fixed::Completions { shell } => Parsed::Completions(shell),
        })
    }
}

/// The names of eg's own flags of `eg streaming <operation>`, which a
/// generated flag never takes.
fn own_flags() -> BTreeSet<String> {
    let command = OperateArgs::augment_args(Command::new("operate"));
    let mut names: BTreeSet<String> = command
        .get_arguments()
        .filter_map(|arg| arg.get_long().map(str::to_owned))
        .collect();
    names.extend(["help", "version"].map(str::to_owned));
    names
}

/// `["start", "pause", "restart"]` as `start, pause or restart`.
fn list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
