//! The description cell of a row: the facts stated under a parameter.

use super::marks::{bullet, is_detail, kv, label};
use super::{Result, err};
use crate::words::{self, Key, Label};
use crate::{DocsType, Field, Located, ParseError};

/// Sets a limit once; a second occurrence is a contradiction, not an update.
pub(super) fn set_once<T>(
    slot: &mut Option<Located<T>>,
    v: T,
    line: usize,
    key: &str,
    row: &str,
) -> Result<()> {
    if slot.is_some() {
        return Err(err(line, format!("duplicate '{key}' in row '{row}'")));
    }
    *slot = Some(Located::new(v, line));
    Ok(())
}

/// A range `[1-64]`, `1-64`, `[1, 64]` or `1~64`, as written.
pub(super) fn range(v: &str) -> Option<(String, String)> {
    let t = v
        .trim_end_matches(['.', '。'])
        .trim()
        .trim_start_matches(['[', '('])
        .trim_end_matches([']', ')']);
    let (a, b) = t
        .split_once(',')
        .or_else(|| t.split_once('~'))
        .or_else(|| t.get(1..)?.find('-').map(|i| (&t[..=i], &t[i + 2..])))?;
    let (a, b) = (a.trim(), b.trim());
    let num = |s: &str| s.parse::<f64>().is_ok_and(f64::is_finite);
    (num(a) && num(b)).then(|| (a.to_owned(), b.to_owned()))
}

/// Description lines with squeezed parts taken apart: inline bullets
/// (`枚举值: • START • PAUSE`) and 2026-style labels written in one cell
/// (`参数解释:… 约束限制:… 取值范围:[1-64]`).
pub(super) fn split_lines(lines: Vec<(usize, String)>) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, l) in lines {
        let mut cuts = vec![0];
        for (i, _) in l.match_indices(" • ") {
            cuts.push(i + 1);
        }
        for (name, _) in words::LABELS {
            for (i, _) in l.match_indices(name) {
                let after = l.get(i + name.len()..).unwrap_or_default();
                if i > 0 && after.starts_with([':', '\u{ff1a}']) {
                    cuts.push(i);
                }
            }
        }
        cuts.sort_unstable();
        cuts.dedup();
        cuts.push(l.len());
        for w in cuts.windows(2) {
            let part = l.get(w[0]..w[1]).unwrap_or_default().trim();
            if !part.is_empty() {
                out.push((n, part.to_owned()));
            }
        }
    }
    out
}

/// Fills the description and the facts stated under it. The first
/// `first` lines are the description cell: its lines up to the first
/// detail are the description (the `参数解释` part in 2026 pages).
pub(super) fn details(
    f: &mut Field,
    lines: Vec<(usize, String)>,
    first: usize,
    errors: &mut Vec<ParseError>,
) {
    let string = f.ty == DocsType::Scalar("string");
    let mut desc: Vec<&str> = Vec::new();
    let mut desc_line = None;
    let mut rest = 0;
    for (i, (n, l)) in lines.iter().enumerate() {
        if i >= first.max(1) || label(l).is_some() || (i > 0 && is_detail(l)) {
            break;
        }
        desc_line.get_or_insert(*n);
        desc.push(l);
        rest = i + 1;
    }
    let mut in_enum = false;
    // A label with no value takes the next line: `参数解释:` / `租户ID`.
    let mut pending: Option<Label> = None;
    for (n, text) in lines.iter().skip(rest) {
        let (line, text) = (*n, text.as_str());
        if let Some(v) = bullet(text).filter(|_| in_enum) {
            f.enum_values.push(Located::new(v.to_owned(), line));
            pending = None;
            continue;
        }
        in_enum = false;
        let (lab, value) = match label(text) {
            Some((l, "")) => {
                pending = Some(l);
                if l == Label::Range {
                    in_enum = true;
                }
                continue;
            }
            Some((l, v)) => (Some(l), v),
            None => (pending.take(), text),
        };
        match lab {
            Some(Label::Definition) if desc.is_empty() => {
                desc_line = Some(line);
                desc.push(value);
                continue;
            }
            Some(Label::Range) => {
                if let Some((a, b)) = range(value) {
                    let r = if string {
                        let len = |v: &str| {
                            v.parse::<u64>()
                                .map_err(|_| err(line, format!("length '{v}' is not a number")))
                        };
                        len(&a).and_then(|a| {
                            set_once(&mut f.min_length, a, line, "取值范围", &f.name)?;
                            set_once(&mut f.max_length, len(&b)?, line, "取值范围", &f.name)
                        })
                    } else {
                        set_once(&mut f.minimum, a, line, "取值范围", &f.name)
                            .and_then(|()| set_once(&mut f.maximum, b, line, "取值范围", &f.name))
                    };
                    if let Err(e) = r {
                        errors.push(e);
                    }
                } else {
                    f.notes.push(Located::new(text.to_owned(), line));
                }
                continue;
            }
            Some(Label::Default) => {
                if !words::no_default(value)
                    && let Err(e) =
                        set_once(&mut f.default, value.to_owned(), line, "默认取值", &f.name)
                {
                    errors.push(e);
                }
                continue;
            }
            Some(_) => {
                f.notes.push(Located::new(text.to_owned(), line));
                continue;
            }
            None => {}
        }
        let key = kv(text).and_then(|(k, v)| words::key(k).map(|key| (k, key, v)));
        let Some((k, key, v)) = key else {
            f.notes.push(Located::new(text.to_owned(), line));
            continue;
        };
        let length = || {
            v.parse::<u64>()
                .map_err(|_| err(line, format!("{k} '{v}' is not a number")))
        };
        let number = || {
            v.parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .map(|_| v.to_owned())
                .ok_or_else(|| err(line, format!("{k} '{v}' is not a number")))
        };
        // English pages say `Minimum: 1` for a string's length.
        let key = match key {
            Key::Min(true) if string => Key::MinLen,
            Key::Max(true) if string => Key::MaxLen,
            key => key,
        };
        let r = match key {
            Key::MinLen => length().and_then(|v| set_once(&mut f.min_length, v, line, k, &f.name)),
            Key::MaxLen => length().and_then(|v| set_once(&mut f.max_length, v, line, k, &f.name)),
            Key::Min(_) => number().and_then(|v| set_once(&mut f.minimum, v, line, k, &f.name)),
            Key::Max(_) => number().and_then(|v| set_once(&mut f.maximum, v, line, k, &f.name)),
            Key::Default => set_once(&mut f.default, v.to_owned(), line, k, &f.name),
            Key::Enum if v.is_empty() => {
                in_enum = true;
                Ok(())
            }
            // Inline values (`枚举值:A,B`) are prose, not a list; keep them verbatim.
            Key::Enum => {
                f.notes.push(Located::new(text.to_owned(), line));
                Ok(())
            }
        };
        if let Err(e) = r {
            errors.push(e);
        }
    }
    f.description = Located::new(desc.join("\n"), desc_line.unwrap_or(f.description.line));
}
