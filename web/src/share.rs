//! Share links (issue 6 §4): the URL hash carries the Dockerfile, the lint settings and the
//! simulation scenario, so opening the link restores them. Nothing is stored on a server —
//! the hash never even reaches one.
//!
//! Format: `#/?s=<payload>` (the playground's route, then `s=`), where the payload is the
//! state as JSON, compressed with raw DEFLATE (RFC 1951) and written in base64url without
//! padding. Any DEFLATE writer works (the `<layerlab-playground>` element uses the browser's
//! `CompressionStream("deflate-raw")`), and every field of the JSON is optional.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;
use yew::prelude::*;

use crate::settings::LintSettings;
use crate::simulate::SimScenario;

/// The hash parameter that holds the payload.
pub const PARAM: &str = "s";
/// A decompressed payload larger than this is refused (a link is at most a few MB).
const MAX_JSON_BYTES: usize = 16 * 1024 * 1024;

/// What a link carries. `Settings` is the playground's lint settings type.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Shared<Settings> {
    pub dockerfile: Option<String>,
    pub settings: Option<Settings>,
    /// Present when the link was made with the simulation panel open.
    pub scenario: Option<SimScenario>,
}

/// Compresses and encodes JSON text for the hash.
pub fn pack(json: &str) -> String {
    base64url_encode(&miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 9))
}

/// The JSON text of a payload, or why it cannot be read.
pub fn unpack(payload: &str) -> Result<String, String> {
    let compressed = base64url_decode(payload)
        .ok_or_else(|| "the link is damaged (not base64url)".to_owned())?;
    let bytes = miniz_oxide::inflate::decompress_to_vec_with_limit(&compressed, MAX_JSON_BYTES)
        .map_err(|_| "the link is damaged (its data does not decompress)".to_owned())?;
    String::from_utf8(bytes).map_err(|_| "the link is damaged (not UTF-8 text)".to_owned())
}

/// The payload in a URL hash such as `#/?s=…` or `#/?embed&s=…`.
pub fn payload_of_hash(hash: &str) -> Option<&str> {
    let (_route, query) = hash.trim_start_matches('#').split_once('?')?;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix(PARAM)?.strip_prefix('='))
        .filter(|payload| !payload.is_empty())
}

/// The state in the page's current URL hash, if it has a share payload.
pub fn from_location<Settings: DeserializeOwned + Default>(
) -> Option<Result<Shared<Settings>, String>> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let payload = payload_of_hash(&hash)?;
    Some(unpack(payload).and_then(|json| {
        let value =
            js_sys::JSON::parse(&json).map_err(|_| "the link is damaged (not JSON)".to_owned())?;
        serde_wasm_bindgen::from_value(value).map_err(|e| format!("the link is not readable: {e}"))
    }))
}

/// The page's address with `state` in its hash.
pub fn link<Settings: Serialize>(state: &Shared<Settings>) -> Result<String, String> {
    let value = state
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| e.to_string())?;
    let json = js_sys::JSON::stringify(&value)
        .map_err(|_| "could not write the state as JSON".to_owned())?;
    let location = web_sys::window()
        .ok_or_else(|| "no window".to_owned())?
        .location();
    let href = location.href().map_err(describe)?;
    let base = href.split('#').next().unwrap_or(&href);
    Ok(format!("{base}#/?{PARAM}={}", pack(&String::from(json))))
}

fn describe(error: JsValue) -> String {
    error.as_string().unwrap_or_else(|| format!("{error:?}"))
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let digits = chunk.len() + 1;
        for i in 0..digits {
            let index = (n >> (18 - 6 * i)) & 63;
            out.push(char::from(ALPHABET[index as usize]));
        }
    }
    out
}

fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    // Also accept the standard alphabet and padding (a link pasted through other tools).
    let mut values = Vec::with_capacity(text.len());
    for byte in text.bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            b'=' => continue,
            _ => return None,
        };
        values.push(u32::from(value));
    }
    if values.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(values.len() * 3 / 4);
    for chunk in values.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, v)| n | (v << (18 - 6 * i)));
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..chunk.len() - 1]);
    }
    Some(out)
}

/// What the page opened with: the state of the share link in its address, if any.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Restored {
    pub state: Shared<LintSettings>,
    /// Why the link in the address could not be read.
    pub error: Option<String>,
}

impl Restored {
    /// The link's Dockerfile, or `sample` when the page was opened without one.
    pub fn dockerfile_or(&self, sample: &str) -> AttrValue {
        AttrValue::from(
            self.state
                .dockerfile
                .clone()
                .unwrap_or_else(|| sample.to_owned()),
        )
    }

    /// The link's lint settings, or the default ones.
    pub fn settings(&self) -> LintSettings {
        self.state.settings.clone().unwrap_or_default()
    }

    pub fn from_location() -> Restored {
        match from_location() {
            None => Restored::default(),
            Some(Ok(state)) => Restored { state, error: None },
            Some(Err(error)) => Restored {
                state: Shared::default(),
                error: Some(error),
            },
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct ShareButtonProps {
    pub dockerfile: AttrValue,
    /// The lint settings, carried when they differ from the default ones.
    pub settings: LintSettings,
    /// The simulation scenario, carried when it differs from the default one.
    pub scenario: SimScenario,
}

/// "Share": puts the state in the address (without reloading) and shows the link to copy.
#[component]
pub fn ShareButton(props: &ShareButtonProps) -> Html {
    let shown = use_state(|| None::<Result<String, String>>);
    let onclick = {
        let shown = shown.clone();
        let dockerfile = props.dockerfile.clone();
        let settings = props.settings.clone();
        let scenario = props.scenario.clone();
        Callback::from(move |_: MouseEvent| {
            let state = Shared {
                dockerfile: Some(dockerfile.to_string()),
                settings: (!settings.is_default()).then(|| settings.clone()),
                scenario: (scenario != SimScenario::default()).then(|| scenario.clone()),
            };
            let made = link(&state);
            if let Ok(url) = &made {
                // The address bar holds the link too; no navigation, no new history entry.
                if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
                    let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(url));
                }
            }
            shown.set(Some(made));
        })
    };
    let select_all = Callback::from(|event: FocusEvent| {
        if let Some(input) = event.target_dyn_into::<web_sys::HtmlInputElement>() {
            input.select();
        }
    });
    html! {
        <span class="share">
            <button type="button" class="toggle" data-testid="share-link" {onclick}
                title="A link that opens this Dockerfile, its rule settings and scenario; nothing is uploaded">
                { "Share" }
            </button>
            { match &*shown {
                Some(Ok(url)) => html! {
                    <input class="share-url" data-testid="share-url" readonly=true value={url.clone()}
                        aria-label={format!("Link to share ({} characters)", url.len())} onfocus={select_all} />
                },
                Some(Err(error)) => html! { <span class="alert" role="alert">{ error.clone() }</span> },
                None => html! {},
            } }
        </span>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::RuleChoice;

    #[test]
    fn base64url_round_trips_every_length() {
        for len in 0..40 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 250) as u8).collect();
            let text = base64url_encode(&bytes);
            assert!(!text.contains(['+', '/', '=']), "{text}");
            assert_eq!(base64url_decode(&text).as_deref(), Some(&bytes[..]));
        }
        assert_eq!(base64url_encode(b"hi?"), "aGk_");
        assert_eq!(base64url_decode("aGk/").as_deref(), Some(&b"hi?"[..]));
        assert_eq!(base64url_decode("aGk"), Some(b"hi".to_vec()));
        assert_eq!(base64url_decode("a"), None);
        assert_eq!(base64url_decode("a b"), None);
    }

    #[test]
    fn payloads_round_trip_and_compress() {
        let json = serde_json::to_string(&Shared::<()> {
            dockerfile: Some("FROM alpine:3.20\nRUN echo hi\n".repeat(50)),
            settings: None,
            scenario: Some(SimScenario::default()),
        })
        .expect("json");
        let packed = pack(&json);
        assert!(
            packed.len() < json.len() / 3,
            "{} of {}",
            packed.len(),
            json.len()
        );
        assert_eq!(unpack(&packed).as_deref(), Ok(json.as_str()));
        assert!(unpack("!!!").is_err());
        assert!(unpack("AAAA").is_err());
    }

    #[test]
    fn the_payload_is_found_in_the_hash() {
        assert_eq!(payload_of_hash("#/?s=abc"), Some("abc"));
        assert_eq!(payload_of_hash("#/?embed&s=abc&x=1"), Some("abc"));
        assert_eq!(payload_of_hash("#/images?s="), None);
        assert_eq!(payload_of_hash("#/"), None);
        assert_eq!(payload_of_hash(""), None);
    }

    #[test]
    fn lint_settings_round_trip_through_a_link() {
        let state = Shared {
            dockerfile: Some("FROM alpine\n".to_owned()),
            settings: Some(
                LintSettings::default()
                    .with_rule("DL3006", Some(RuleChoice::Off))
                    .with_hadolint_yaml("ignored: [DL3059]\n".to_owned()),
            ),
            scenario: None,
        };
        let json = serde_json::to_string(&state).expect("json");
        let unpacked = unpack(&pack(&json)).expect("unpacks");
        let back: Shared<LintSettings> = serde_json::from_str(&unpacked).expect("reads");
        assert_eq!(back, state);
    }

    #[test]
    fn missing_fields_default() {
        // A link made before settings were carried, or with the default ones.
        let state: Shared<LintSettings> =
            serde_json::from_str(r#"{"dockerfile":"FROM x"}"#).expect("reads");
        assert_eq!(state.dockerfile.as_deref(), Some("FROM x"));
        assert!(state.settings.is_none());
        assert!(state.scenario.is_none());
        let scenario: SimScenario =
            serde_json::from_str(r#"{"target":"build"}"#).expect("partial scenario");
        assert_eq!(scenario.target, "build");
        assert!(!scenario.files.is_empty(), "the default context");
    }
}
