//! What the fuzz targets share: reading a fuzz input as a small HTTP message,
//! so that seeds are readable text.

/// A fuzz input read as `START-LINE\nName: value\n...\n\nBODY`.
pub struct Message<'a> {
    /// The first line (`METHOD URI` or `STATUS`).
    pub start: &'a [u8],
    /// Header lines split at their first `:`, the value trimmed of spaces.
    pub headers: Vec<(&'a [u8], &'a [u8])>,
    /// Everything after the first blank line.
    pub body: &'a [u8],
}

impl<'a> Message<'a> {
    /// Splits any bytes; lines without `:` are dropped, `\r\n` is accepted.
    pub fn parse(data: &'a [u8]) -> Self {
        let (head, body) = match find(data, b"\n\n") {
            Some(at) => (&data[..at], &data[at + 2..]),
            None => (data, &data[data.len()..]),
        };
        let mut lines = head
            .split(|&b| b == b'\n')
            .map(|line| line.strip_suffix(b"\r").unwrap_or(line));
        let start = lines.next().unwrap_or_default();
        let headers = lines
            .filter_map(|line| {
                let colon = line.iter().position(|&b| b == b':')?;
                Some((&line[..colon], line[colon + 1..].trim_ascii()))
            })
            .collect();
        Self {
            start,
            headers,
            body,
        }
    }

    /// The headers that `http` accepts, in order; the others are dropped,
    /// as a server's HTTP parser would refuse them before any handler runs.
    pub fn header_map(&self) -> http::HeaderMap {
        let mut map = http::HeaderMap::new();
        for (name, value) in &self.headers {
            if let (Ok(name), Ok(value)) = (
                http::HeaderName::from_bytes(name),
                http::HeaderValue::from_bytes(value),
            ) {
                map.append(name, value);
            }
        }
        map
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
