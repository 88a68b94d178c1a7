//! Child processes of the benchmark and the load run: servers that print
//! their address first (the emulator, through `api::start_emulator`, and the
//! bare baseline), their memory, and whole-process runs measured with
//! `getrusage` by a helper that has no other child.

use std::{
    ffi::OsString,
    io::{BufRead, BufReader},
    path::Path,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use nix::sys::resource::{UsageWho, getrusage};
use serde_json::{Value, json};

/// A server process that prints its bound address as its first stdout line.
/// Killed and reaped on drop.
pub struct Server {
    name: String,
    child: Child,
    /// `http://ADDR`.
    pub base_url: String,
}

impl Server {
    /// Spawns `command`, its stderr on ours, and waits for its address line.
    pub fn spawn(name: &str, command: Command) -> Result<Self, String> {
        Self::spawn_with_stderr(name, command, Stdio::inherit())
    }

    /// Spawns `command` with `stderr` (a log file, say) and waits for its
    /// address line; the rest of its stdout is read and dropped, so that it
    /// can never block on a full pipe.
    pub fn spawn_with_stderr(
        name: &str,
        mut command: Command,
        stderr: impl Into<Stdio>,
    ) -> Result<Self, String> {
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .map_err(|e| format!("cannot start {name}: {e}"))?;
        let stdout = child.stdout.take();
        let mut server = Self {
            name: name.to_owned(),
            child,
            base_url: String::new(),
        };
        let mut line = String::new();
        let read = stdout.map(|out| {
            let mut out = BufReader::new(out);
            let read = out.read_line(&mut line);
            std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
            read
        });
        let addr = line.trim();
        match read {
            Some(Ok(n)) if n > 0 && addr.parse::<std::net::SocketAddr>().is_ok() => {
                server.base_url = format!("http://{addr}");
                Ok(server)
            }
            Some(Err(e)) => Err(format!("{name}: cannot read its address: {e}")),
            _ => Err(format!(
                "{name} did not print its address (first line {line:?})"
            )),
        }
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Resident memory now, from `/proc/PID/status` (`VmRSS`), in bytes.
    pub fn resident_bytes(&self) -> Result<u64, String> {
        rss_of(self.child.id()).ok_or_else(|| {
            format!(
                "{}: no VmRSS in /proc/{}/status",
                self.name,
                self.child.id()
            )
        })
    }
}

/// Resident set size of a process in bytes, from `/proc/PID/status`.
pub fn rss_of(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    parse_vm_rss(&status)
}

/// The `VmRSS` line of a `/proc/PID/status` text, in bytes.
pub fn parse_vm_rss(status: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().strip_suffix("kB"))
        .and_then(|kib| kib.trim().parse::<u64>().ok())
        .map(|kib| kib * 1024)
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What one whole-process run cost.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Usage {
    /// Wall time from spawn to exit.
    pub wall: Duration,
    /// User plus system CPU time.
    pub cpu: Duration,
    /// Peak resident memory, bytes.
    pub max_rss: u64,
}

/// Runs `program args` through the helper (`eg-bench rusage -- ...`) so
/// that `getrusage(RUSAGE_CHILDREN)` sees that one process only. Its stdout
/// is discarded; a non-zero exit is an error naming `name`.
pub fn measure(
    name: &str,
    program: &Path,
    args: &[OsString],
    env: &[(&str, String)],
) -> Result<Usage, String> {
    let me = std::env::current_exe().map_err(|e| format!("cannot find eg-bench itself: {e}"))?;
    let output = Command::new(me)
        .args(["rusage", "--"])
        .arg(program)
        .args(args)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run {name}: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    let report: Value = serde_json::from_str(text.trim())
        .map_err(|e| format!("{name}: the rusage helper printed `{}`: {e}", text.trim()))?;
    let number = |key: &str| {
        report[key]
            .as_f64()
            .ok_or_else(|| format!("{name}: rusage report has no number `{key}`: {report}"))
    };
    if report["exit_code"] != json!(0) {
        return Err(format!(
            "{name} failed: exit status {} (its stderr is above)",
            report["exit_code"]
        ));
    }
    Ok(Usage {
        wall: Duration::from_secs_f64(number("wall_s")?),
        cpu: Duration::from_secs_f64(number("user_s")? + number("sys_s")?),
        max_rss: number("max_rss_kib")? as u64 * 1024,
    })
}

/// The helper side of [`measure`]: runs the command with stdout discarded,
/// then prints one JSON line with its exit code, wall, CPU and peak memory.
pub fn rusage_helper(command: &[OsString]) -> Result<(), String> {
    let (program, args) = command.split_first().ok_or("rusage: no command given")?;
    let started = Instant::now();
    let status = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .status()
        .map_err(|e| format!("rusage: cannot run {}: {e}", program.to_string_lossy()))?;
    let wall = started.elapsed();
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN).map_err(|e| format!("getrusage: {e}"))?;
    let seconds = |t: nix::sys::time::TimeVal| t.tv_sec() as f64 + t.tv_usec() as f64 / 1e6;
    println!(
        "{}",
        json!({
            "exit_code": status.code(),
            "wall_s": wall.as_secs_f64(),
            "user_s": seconds(usage.user_time()),
            "sys_s": seconds(usage.system_time()),
            // Linux reports ru_maxrss in KiB.
            "max_rss_kib": usage.max_rss(),
        })
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_vm_rss() {
        let status = "Name:\teg-emulator\nVmPeak:\t  20000 kB\nVmRSS:\t    9876 kB\nThreads:\t3\n";
        assert_eq!(parse_vm_rss(status), Some(9876 * 1024));
        assert_eq!(parse_vm_rss("Name:\tx\n"), None);
        assert!(rss_of(std::process::id()).is_some_and(|b| b > 0));
    }
}
