//! The partner API over HTTP: the key in the `Authorization` header, problems turned into
//! messages, and lists followed page by page.

use std::{fmt, io::IsTerminal};

use serde_json::Value;
use ureq::{http::Response, Agent, Body};

pub struct Api {
    base: String,
    authorization: String,
    agent: Agent,
}

/// Why a command failed, and its exit code.
#[derive(Debug)]
pub enum Failure {
    /// The API refused the request: its problem's title, detail and field errors.
    Refused {
        status: u16,
        message: String,
    },
    /// No key saved or given.
    NoKey,
    Usage(String),
    /// The portal could not be reached, or failed.
    Unreachable(String),
    Config(String),
}

impl Failure {
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Refused {
                status: 401 | 403, ..
            }
            | Failure::NoKey => 3,
            Failure::Refused { status, .. } if *status >= 500 => 4,
            Failure::Refused { .. } => 1,
            Failure::Usage(_) | Failure::Config(_) => 2,
            Failure::Unreachable(_) => 4,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Refused { message, .. } => write!(f, "error: {message}"),
            Failure::NoKey => write!(
                f,
                "error: no API key. Run `partner-cli auth <key>` with a key from Partner > API keys."
            ),
            Failure::Usage(message) | Failure::Config(message) => write!(f, "error: {message}"),
            Failure::Unreachable(message) => write!(f, "error: {message}"),
        }
    }
}

impl Api {
    pub fn new(base: &str, key: &str) -> Api {
        let agent: Agent = Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(std::time::Duration::from_secs(30)))
            .build()
            .into();
        Api {
            base: base.trim_end_matches('/').to_string(),
            authorization: format!("Bearer {key}"),
            agent,
        }
    }

    pub fn get(&self, path: &str) -> Result<Value, Failure> {
        let response = self
            .agent
            .get(format!("{}{path}", self.base))
            .header("Authorization", &self.authorization)
            .call();
        self.answer(response)
    }

    pub fn post(
        &self,
        path: &str,
        body: &Value,
        idempotency_key: Option<&str>,
    ) -> Result<Value, Failure> {
        let mut request = self
            .agent
            .post(format!("{}{path}", self.base))
            .header("Authorization", &self.authorization);
        if let Some(key) = idempotency_key {
            request = request.header("Idempotency-Key", key);
        }
        self.answer(request.send_json(body))
    }

    /// A list's rows: the first page, or every page (`all`), with progress on a terminal.
    pub fn list(
        &self,
        path: &str,
        query: &[(&str, String)],
        all: bool,
    ) -> Result<Vec<Value>, Failure> {
        let encoded: Vec<String> = query
            .iter()
            .map(|(name, value)| format!("{name}={}", encode(value)))
            .collect();
        let mut next = Some(if encoded.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{}", encoded.join("&"))
        });
        let mut rows = Vec::new();
        let progress = all && std::io::stderr().is_terminal();
        while let Some(at) = next.take() {
            let page = self.get(&at)?;
            rows.extend(page["data"].as_array().cloned().unwrap_or_default());
            if all {
                next = page["links"]["next"].as_str().map(str::to_string);
            }
            if progress {
                eprint!("\rfetched {} rows...", rows.len());
            }
        }
        if progress {
            eprintln!("\rfetched {} rows.   ", rows.len());
        }
        Ok(rows)
    }

    fn answer(&self, response: Result<Response<Body>, ureq::Error>) -> Result<Value, Failure> {
        let mut response = response.map_err(|error| {
            Failure::Unreachable(format!("could not reach {}: {error}", self.base))
        })?;
        let status = response.status().as_u16();
        let text = response
            .body_mut()
            .read_to_string()
            .map_err(|error| Failure::Unreachable(format!("the answer was cut off: {error}")))?;
        let value: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        if (200..300).contains(&status) {
            return Ok(value);
        }
        Err(Failure::Refused {
            status,
            message: problem_message(status, &value),
        })
    }
}

/// A problem as one or more lines: "Title: detail", then "  field: message" for each field.
pub fn problem_message(status: u16, problem: &Value) -> String {
    let title = problem["title"].as_str().unwrap_or("Request failed");
    let detail = problem["detail"].as_str().unwrap_or("");
    let mut message = format!("{title} ({status}): {detail}");
    for error in problem["errors"].as_array().into_iter().flatten() {
        message.push_str(&format!(
            "\n  {}: {}",
            error["field"].as_str().unwrap_or("?"),
            error["message"].as_str().unwrap_or("")
        ));
    }
    message
}

/// A query value, percent-encoded.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_problem_reads_as_lines_with_its_fields() {
        let problem = json!({
            "title": "Invalid input", "status": 422, "detail": "Some fields are not valid: see errors.",
            "errors": [{ "field": "plan", "message": "Pick a plan." }]
        });
        assert_eq!(
            problem_message(422, &problem),
            "Invalid input (422): Some fields are not valid: see errors.\n  plan: Pick a plan."
        );
    }

    #[test]
    fn exit_codes_tell_the_kinds_of_failure_apart() {
        let refused = |status| Failure::Refused {
            status,
            message: String::new(),
        };
        assert_eq!(refused(404).exit_code(), 1);
        assert_eq!(refused(401).exit_code(), 3);
        assert_eq!(refused(503).exit_code(), 4);
        assert_eq!(Failure::NoKey.exit_code(), 3);
        assert_eq!(encode("a b&c"), "a%20b%26c");
    }
}
