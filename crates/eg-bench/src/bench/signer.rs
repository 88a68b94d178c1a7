//! Part 2 of the benchmark: the signer against the cryptographic floor and
//! the official Python signer.

use std::{
    path::{Path, PathBuf},
    process::Command,
    time::{Duration, Instant},
};

use crate::{api, stats::Figure};

use super::{Report, SLICES, Sizes, micros};

/// Part 2: the signer against the cryptographic floor (the two SHA-256 and
/// the HMAC any signature needs) and against the official Python signer.
pub(super) fn figures(
    sizes: &Sizes,
    root: &Path,
    python: Result<&PathBuf, &String>,
    report: &mut Report,
) -> Result<(), String> {
    use std::hint::black_box;

    use http::{HeaderMap, HeaderValue, Method, Uri, header};
    let credential = eg_signer::Credential::new(api::ACCESS_KEY, api::SECRET_KEY);
    let url = api::operate_url("http://127.0.0.1:8080", &api::stream_id(7));
    let uri: Uri = url.parse().map_err(|e| format!("{url}: {e}"))?;
    let now = time::OffsetDateTime::now_utc();
    let fresh = || {
        let mut headers = HeaderMap::with_capacity(8);
        headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        headers
    };
    let sign = |headers: &mut HeaderMap| {
        eg_signer::sign(
            &credential,
            &Method::POST,
            &uri,
            headers,
            api::START_BODY,
            Some(api::PROJECT),
            now,
        )
        .map_err(|e| format!("eg_signer::sign: {e}"))
    };
    let mut signed = fresh();
    sign(&mut signed)?;
    let secret = eg_signer::SecretKey::new(api::SECRET_KEY);
    let verify = || {
        eg_signer::verify(
            &Method::POST,
            &uri,
            &signed,
            api::START_BODY,
            now,
            Duration::from_secs(900),
            |_| Some(secret.clone()),
        )
        .map_err(|e| format!("eg_signer::verify: {e}"))
    };
    verify()?;
    // The floor hashes inputs as long as the real ones.
    let canonical = eg_signer::canonical_request(
        "POST",
        uri.path(),
        None,
        &[
            ("accept", "application/json"),
            ("content-type", "application/json"),
            ("host", "127.0.0.1:8080"),
            ("x-project-id", api::PROJECT),
            ("x-sdk-date", "20240102T030405Z"),
        ]
        .map(|(n, v)| (n.to_owned(), v.to_owned())),
        api::START_BODY,
    );
    let to_sign = eg_signer::string_to_sign("20240102T030405Z", &canonical);
    // Just the hashing: no hex, no allocation.
    let floor = || {
        use hmac::{Hmac, Mac};
        use sha2::{Digest, Sha256};
        black_box(Sha256::digest(black_box(api::START_BODY)));
        black_box(Sha256::digest(black_box(canonical.as_bytes())));
        let mut mac = Hmac::<Sha256>::new_from_slice(api::SECRET_KEY.as_bytes())
            .expect("HMAC takes keys of any length");
        mac.update(black_box(to_sign.as_bytes()));
        black_box(mac.finalize());
    };

    let n = sizes.signatures;
    let (mut floor_us, mut sign_us, mut verify_us, mut python_us) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for round in 0..=sizes.rounds {
        // The three take turns in slices, so a pause of the machine falls
        // on all of them rather than on one figure.
        let (mut floor_took, mut sign_took, mut verify_took) =
            (Duration::ZERO, Duration::ZERO, Duration::ZERO);
        // One map, re-signed: each call replaces what the last one added.
        let mut headers = fresh();
        for _ in 0..SLICES {
            let started = Instant::now();
            for _ in 0..n / SLICES {
                floor();
            }
            floor_took += started.elapsed();
            let started = Instant::now();
            for _ in 0..n / SLICES {
                sign(black_box(&mut headers))?;
            }
            sign_took += started.elapsed();
            let started = Instant::now();
            for _ in 0..n / SLICES {
                black_box(verify()?);
            }
            verify_took += started.elapsed();
        }
        let n = n / SLICES * SLICES;
        if round == 0 {
            continue; // warm-up
        }
        floor_us.push(micros(floor_took, n));
        sign_us.push(micros(sign_took, n));
        verify_us.push(micros(verify_took, n));
        if let Ok(python) = python {
            python_us.push(python_signer(root, python, sizes.python_signatures)?);
        }
    }
    let ratio = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(a, b)| a / b).collect::<Vec<_>>();
    report.add(Figure::of(
        "signer.sign_us",
        "eg_signer::sign, per signature",
        "us",
        &sign_us,
        Some("<= 1.5"),
    ));
    report.add(Figure::of(
        "signer.verify_us",
        "eg_signer::verify, per request",
        "us",
        &verify_us,
        None,
    ));
    report.add(Figure::of(
        "signer.floor_us",
        "  floor: SHA-256 of body and canonical request, HMAC; no hex, no allocation",
        "us",
        &floor_us,
        None,
    ));
    report.add(Figure::of(
        "signer.sign_over_floor",
        "sign / floor",
        "ratio",
        &ratio(&sign_us, &floor_us),
        None,
    ));
    report.add(Figure::of(
        "signer.verify_over_floor",
        "verify / floor",
        "ratio",
        &ratio(&verify_us, &floor_us),
        None,
    ));
    match python {
        Ok(_) => {
            report.add(Figure::of(
                "signer.python_us",
                "  official Python signer, per signature",
                "us",
                &python_us,
                None,
            ));
            report.add(Figure::of(
                "signer.python_over_sign",
                "official Python signer / eg_signer::sign (times faster)",
                "ratio",
                &ratio(&python_us, &sign_us),
                None,
            ));
        }
        Err(why) => report.skipped.push(("signer.python", why.clone())),
    }
    Ok(())
}

/// One round of the official Python signer: µs per signature.
fn python_signer(root: &Path, python: &Path, iterations: usize) -> Result<f64, String> {
    let script = root.join("crates/eg-bench/python/python_signer.py");
    let output = Command::new(python)
        .arg(&script)
        .args([iterations.to_string(), "1".to_owned()])
        .output()
        .map_err(|e| format!("cannot run {}: {e}", script.display()))?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "{} failed ({}): {}",
            script.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    text.trim()
        .parse()
        .map_err(|e| format!("{} printed `{}`: {e}", script.display(), text.trim()))
}
