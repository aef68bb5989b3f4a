//! The Dockerfile editor: a `<textarea>` (which does the typing, selection, undo and
//! accessibility) over a coloured mirror of its text, with line numbers, gutter markers and
//! squiggles under each finding. Hovering a squiggle shows its message, a link to the rule's
//! page and its quick fix; the bar under the editor shows the same for the finding at the
//! cursor, for keyboard users (Ctrl+. applies its fix).
//!
//! Only the lines on screen (plus a margin) are drawn, in windows that move in steps of
//! [`WINDOW_STEP`] lines: scrolling re-renders only when the window moves, and a keystroke in a
//! 3,000-line file draws about a hundred lines. The mirror and the gutter follow the
//! textarea's scrolling by CSS transforms set from script (the CSP forbids style attributes).

use std::cell::Cell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::highlight::{Checkpoints, Token};
use crate::marks::{byte_index, rank, severity_name, LineMarks, Mark};
use crate::protocol::Diagnostic;
use crate::text::Utf16Range;

/// Lines per step of the drawn window.
const WINDOW_STEP: usize = 32;
/// The editor's padding above the first line, in px (`.code`, `.mirror` in style.css).
const PADDING_TOP: f64 = 12.0;
/// Line height in px when it cannot be read from the style (`--code-line`).
const DEFAULT_LINE_HEIGHT: f64 = 20.0;
/// Longer replacements skip the undo history (see [`replace`]).
const MAX_UNDOABLE_INSERT: usize = 16 * 1024;
/// How long the hover card stays after the pointer leaves the squiggle, so it can be reached.
const HOVER_GRACE_MS: u32 = 300;

/// The report's findings for the editor, compared by identity (one per report).
#[derive(Clone)]
pub struct Marks(pub Rc<LineMarks>);

impl PartialEq for Marks {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    /// The text. Typing changes the textarea first and this follows through `on_input`; the
    /// textarea is only written when the two differ (e.g. text loaded by the page).
    pub value: AttrValue,
    pub on_input: Callback<String>,
    /// The `<textarea>`, so the page can select and replace text in it.
    pub node_ref: NodeRef,
    /// The latest report's findings.
    pub marks: Marks,
    /// Applies the fix of the finding with this index.
    pub on_fix: Callback<usize>,
    /// Whether the report belongs to the text in the editor (fixes apply only then).
    pub can_fix: bool,
}

/// The lines drawn: `start` is a multiple of [`WINDOW_STEP`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Window {
    start: usize,
    rows: usize,
}

impl Window {
    fn for_scroll(scroll_top: f64, view_height: f64, line_height: f64) -> Window {
        let top_line = (scroll_top.max(0.0) / line_height) as usize;
        let visible = (view_height.max(0.0) / line_height).ceil() as usize + 1;
        let start = (top_line / WINDOW_STEP).saturating_sub(1) * WINDOW_STEP;
        Window {
            start,
            rows: visible + 3 * WINDOW_STEP,
        }
    }
}

/// The hover card: which findings, and where (px, relative to the code area).
#[derive(Clone, Debug, PartialEq)]
struct Hover {
    findings: Vec<usize>,
    left: f64,
    top: f64,
}

#[component]
pub fn Editor(props: &EditorProps) -> Html {
    let area_ref = props.node_ref.clone();
    let mirror_ref = use_node_ref();
    let gutter_ref = use_node_ref();
    let code_area_ref = use_node_ref();
    let card_ref = use_node_ref();
    let window = use_state(|| Window::for_scroll(0.0, 800.0, DEFAULT_LINE_HEIGHT));
    let line_height = use_mut_ref(|| DEFAULT_LINE_HEIGHT);
    let drawn_start = use_mut_ref(|| Cell::new(0usize));
    let hover = use_state(|| None::<Hover>);
    let hide_timer = use_mut_ref(|| None::<Timeout>);
    // The cursor: 1-based line, 0-based UTF-16 column.
    let caret = use_state(|| None::<(usize, u32)>);
    // The textarea's scroll position (top, left), as its last scroll event gave it: reading
    // it after a render would force a layout.
    let scrolled = use_mut_ref(|| (0.0f64, 0.0f64));
    // The text the textarea last reported: a `value` equal to it needs no write (and no read
    // of the textarea, which copies the whole text).
    let last_typed = use_mut_ref(String::new);
    // The lexer's state at every window start, so a keystroke does not re-lex the lines above.
    let lex_checkpoints = use_mut_ref(|| Checkpoints::new(WINDOW_STEP));

    {
        // Not a `value` attribute: Yew would rewrite the whole textarea on every keystroke,
        // which costs tens of milliseconds on a long file.
        let (area_ref, last_typed) = (area_ref.clone(), last_typed.clone());
        use_effect_with(props.value.clone(), move |value| {
            if *last_typed.borrow() == value.as_str() {
                return;
            }
            if let Some(area) = area_ref.cast::<HtmlTextAreaElement>() {
                if area.value() != value.as_str() {
                    area.set_value(value);
                }
            }
        });
    }
    {
        let area_ref = area_ref.clone();
        let (line_height, scrolled) = (line_height.clone(), scrolled.clone());
        let window = window.clone();
        use_effect_with((), move |_| {
            if let Some(area) = area_ref.cast::<HtmlTextAreaElement>() {
                if let Some(height) = read_line_height(&area) {
                    *line_height.borrow_mut() = height;
                }
                *scrolled.borrow_mut() =
                    (f64::from(area.scroll_top()), f64::from(area.scroll_left()));
                let fitted = Window::for_scroll(
                    f64::from(area.scroll_top()),
                    f64::from(area.client_height()),
                    *line_height.borrow(),
                );
                if fitted != *window {
                    window.set(fitted);
                }
            }
        });
    }
    {
        // When the drawn window moves: the mirror and gutter follow the textarea's scroll
        // position (the scroll handler keeps them following in between).
        let (mirror_ref, gutter_ref) = (mirror_ref.clone(), gutter_ref.clone());
        let (drawn_start, line_height, scrolled) =
            (drawn_start.clone(), line_height.clone(), scrolled.clone());
        use_effect_with(window.start, move |&start| {
            drawn_start.borrow().set(start);
            follow_scroll(
                *scrolled.borrow(),
                &mirror_ref,
                &gutter_ref,
                start,
                *line_height.borrow(),
            );
        });
    }
    {
        let (card_ref, hover) = (card_ref.clone(), (*hover).clone());
        use_effect_with(hover, move |hover| {
            if let (Some(hover), Some(card)) = (hover, card_ref.cast::<HtmlElement>()) {
                let style = card.style();
                style
                    .set_property("left", &format!("{}px", hover.left))
                    .ok();
                style.set_property("top", &format!("{}px", hover.top)).ok();
            }
        });
    }

    let onscroll = {
        let (mirror_ref, gutter_ref, scrolled) =
            (mirror_ref.clone(), gutter_ref.clone(), scrolled.clone());
        let (window, drawn_start, line_height) =
            (window.clone(), drawn_start.clone(), line_height.clone());
        let hover = hover.clone();
        Callback::from(move |event: Event| {
            let area = event.target_unchecked_into::<HtmlTextAreaElement>();
            let height = *line_height.borrow();
            let wanted = Window::for_scroll(
                f64::from(area.scroll_top()),
                f64::from(area.client_height()),
                height,
            );
            if wanted != *window {
                window.set(wanted);
            }
            let position = (f64::from(area.scroll_top()), f64::from(area.scroll_left()));
            *scrolled.borrow_mut() = position;
            let start = drawn_start.borrow().get();
            follow_scroll(position, &mirror_ref, &gutter_ref, start, height);
            if hover.is_some() {
                hover.set(None);
            }
        })
    };

    let oninput = {
        let (on_input, last_typed) = (props.on_input.clone(), last_typed.clone());
        Callback::from(move |event: InputEvent| {
            let value = event.target_unchecked_into::<HtmlTextAreaElement>().value();
            last_typed.borrow_mut().clone_from(&value);
            on_input.emit(value);
        })
    };

    let update_caret = {
        let caret = caret.clone();
        Callback::from(move |area: HtmlTextAreaElement| {
            let at = area
                .selection_start()
                .ok()
                .flatten()
                .map(|offset| line_column(&area.value(), offset));
            if at != *caret {
                caret.set(at);
            }
        })
    };
    let onkeyup = update_caret.reform(|event: KeyboardEvent| event.target_unchecked_into());
    let onmouseup = update_caret.reform(|event: MouseEvent| event.target_unchecked_into());

    let marks = props.marks.0.clone();
    let caret_findings: Vec<usize> = caret
        .map(|(line, column)| marks.at(line, column))
        .unwrap_or_default();

    let onkeydown = {
        let (on_fix, can_fix) = (props.on_fix.clone(), props.can_fix);
        let (marks, caret_findings) = (marks.clone(), caret_findings.clone());
        Callback::from(move |event: KeyboardEvent| {
            // Ctrl+. (Cmd+. on a Mac): the quick fix of the finding at the cursor.
            if event.key() == "." && (event.ctrl_key() || event.meta_key()) {
                event.prevent_default();
                let fixable = caret_findings
                    .iter()
                    .copied()
                    .find(|&i| diagnostic(&marks, i).is_some_and(|d| d.fix.is_some()));
                if let (Some(index), true) = (fixable, can_fix) {
                    on_fix.emit(index);
                }
            }
        })
    };

    let onmousemove = {
        let (mirror_ref, code_area_ref) = (mirror_ref.clone(), code_area_ref.clone());
        let (hover, hide_timer, line_height, drawn_start) = (
            hover.clone(),
            hide_timer.clone(),
            line_height.clone(),
            drawn_start.clone(),
        );
        Callback::from(move |event: MouseEvent| {
            let area = event.target_unchecked_into::<HtmlTextAreaElement>();
            let found = squiggle_under(
                &event,
                &area,
                &mirror_ref,
                &code_area_ref,
                *line_height.borrow(),
                drawn_start.borrow().get(),
            );
            match found {
                Some(found) => {
                    hide_timer.borrow_mut().take();
                    if hover.as_ref() != Some(&found) {
                        hover.set(Some(found));
                    }
                }
                None if hover.is_some() => schedule_hide(&hide_timer, &hover),
                None => {}
            }
        })
    };
    let onmouseleave = {
        let (hover, hide_timer) = (hover.clone(), hide_timer.clone());
        Callback::from(move |_: MouseEvent| {
            if hover.is_some() {
                schedule_hide(&hide_timer, &hover);
            }
        })
    };
    let card_enter = {
        let hide_timer = hide_timer.clone();
        Callback::from(move |_: MouseEvent| drop(hide_timer.borrow_mut().take()))
    };
    let card_leave = {
        let (hover, hide_timer) = (hover.clone(), hide_timer.clone());
        Callback::from(move |_: MouseEvent| schedule_hide(&hide_timer, &hover))
    };

    let text = props.value.as_str();
    let total_lines = crate::text::line_count(text);
    let first = window.start.min(total_lines.saturating_sub(1));
    let last = (first + window.rows).min(total_lines);
    let mut lines_html = Vec::with_capacity(last - first);
    let mut gutter_html = Vec::with_capacity(last - first);
    let mut state = lex_checkpoints.borrow_mut().state_at(text, first);
    for (offset, line) in text.split('\n').skip(first).take(last - first).enumerate() {
        let number = first + offset + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        let (tokens, next) = state.line(line);
        state = next;
        lines_html.push(render_line(
            number,
            line,
            &tokens,
            marks.on_line(number),
            &marks,
        ));
        let marker = marks
            .gutter(number)
            .map(|s| format!("mark-{}", severity_name(s)));
        gutter_html.push(html! {
            <div class={classes!("gutter-line", marker)}>{ number }</div>
        });
    }

    let card = hover.as_ref().map(|hover| {
        html! {
            <div class="hover-card" role="tooltip" data-testid="hover-card" ref={card_ref.clone()}
                 onmouseenter={card_enter.clone()} onmouseleave={card_leave.clone()}>
                { for hover.findings.iter().filter_map(|&i| {
                    diagnostic(&marks, i).map(|d| finding_summary(d, i, &props.on_fix, props.can_fix, "hover-quickfix"))
                }) }
            </div>
        }
    });

    html! {
        <div class="editor-frame">
            <div class="editor">
                <div class="gutter" aria-hidden="true">
                    <div class="gutter-lines" ref={gutter_ref}>{ gutter_html }</div>
                </div>
                <div class="code-area" ref={code_area_ref}>
                    <div class="mirror" aria-hidden="true" ref={mirror_ref}>{ lines_html }</div>
                    <textarea
                        ref={props.node_ref.clone()}
                        class="code"
                        data-testid="editor"
                        aria-label="Dockerfile"
                        aria-describedby="caret-finding"
                        spellcheck="false"
                        autocomplete="off"
                        autocapitalize="off"
                        wrap="off"
                        {oninput}
                        {onscroll}
                        {onkeydown}
                        {onkeyup}
                        {onmouseup}
                        {onmousemove}
                        {onmouseleave}
                    />
                    { for card }
                </div>
            </div>
            <div class="caret-bar" id="caret-finding" data-testid="caret-finding" aria-live="polite">
                if let Some(&index) = caret_findings.first() {
                    if let Some(d) = diagnostic(&marks, index) {
                        { finding_summary(d, index, &props.on_fix, props.can_fix, "caret-quickfix") }
                    }
                    if caret_findings.len() > 1 {
                        <span class="more">{ format!("and {} more here", caret_findings.len() - 1) }</span>
                    }
                } else {
                    <span class="hint">{ "Hover a squiggle, or move the cursor onto one, to see the problem. Ctrl+. applies its fix." }</span>
                }
            </div>
        </div>
    }
}

fn diagnostic(marks: &LineMarks, index: usize) -> Option<&Diagnostic> {
    marks.report.as_ref()?.diagnostics.get(index)
}

/// A finding as the hover card and the cursor bar show it: severity, message, the rule's page,
/// and its fix.
fn finding_summary(
    d: &Diagnostic,
    index: usize,
    on_fix: &Callback<usize>,
    can_fix: bool,
    fix_testid: &'static str,
) -> Html {
    let severity = severity_name(d.severity);
    let onclick = on_fix.reform(move |_: MouseEvent| index);
    html! {
        <div class={classes!("finding-summary", severity)}>
            <span class="severity">{ severity }</span>{ " " }
            <span class="message">{ d.message.clone() }</span>{ " " }
            <a class="docs-link" data-testid="docs-link" href={rule_page(&d.code)}
               target="_blank" rel="noopener" title={format!("{}: the rule's documentation", d.code)}>
                { d.code.clone() }
            </a>
            if let Some(fix) = &d.fix {
                { " " }
                <button type="button" class="fix-button" data-testid={fix_testid}
                        disabled={!can_fix} {onclick}>
                    { format!("Fix: {}", fix.title) }
                </button>
            }
        </div>
    }
}

/// The rule's page on this site (`cargo xtask dist` writes `rules/CODE/index.html`). The
/// single-file build, opened from disk, has no pages beside it: it links to the published
/// ones, the `url` every report gives.
pub fn rule_page(code: &str) -> String {
    let from_disk = web_sys::window()
        .and_then(|w| w.location().protocol().ok())
        .is_some_and(|protocol| protocol == "file:");
    rule_page_for(code, from_disk)
}

fn rule_page_for(code: &str, from_disk: bool) -> String {
    let safe: String = code.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    if from_disk {
        format!("https://layerlab.dev/rules/{safe}")
    } else {
        format!("rules/{safe}/")
    }
}

/// One line of the mirror: coloured tokens, with squiggles over the findings' ranges.
fn render_line(
    number: usize,
    line: &str,
    tokens: &[Token],
    marks: &[Mark],
    all: &LineMarks,
) -> Html {
    if tokens.is_empty() && marks.is_empty() {
        return html! { <div class="line" data-line={number.to_string()}>{ line.to_owned() }</div> };
    }
    // Byte ranges of the squiggles; an empty range widens to one character, or sits at the end.
    let ranges: Vec<(usize, usize, &Mark)> = marks
        .iter()
        .map(|m| {
            let start = byte_index(line, m.start);
            let end = m.end.map_or(line.len(), |e| byte_index(line, e)).max(start);
            let end = if end == start {
                line[start..]
                    .chars()
                    .next()
                    .map_or(start, |c| start + c.len_utf8())
            } else {
                end
            };
            (start, end, m)
        })
        .collect();
    let mut cuts: Vec<usize> = vec![0, line.len()];
    cuts.extend(tokens.iter().flat_map(|t| [t.range.start, t.range.end]));
    cuts.extend(ranges.iter().flat_map(|r| [r.0, r.1]));
    cuts.retain(|&c| c <= line.len() && line.is_char_boundary(c));
    cuts.sort_unstable();
    cuts.dedup();

    let mut pieces = Vec::with_capacity(cuts.len());
    for pair in cuts.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let token = tokens
            .iter()
            .find(|t| t.range.start <= a && b <= t.range.end);
        let covering: Vec<&Mark> = ranges
            .iter()
            .filter(|r| r.0 <= a && b <= r.1)
            .map(|r| r.2)
            .collect();
        let piece = line[a..b].to_owned();
        if covering.is_empty() {
            match token {
                Some(t) => pieces.push(html! { <span class={t.kind.class()}>{ piece }</span> }),
                None => pieces.push(html! { { piece } }),
            }
        } else {
            pieces.push(squiggle(
                piece,
                token.map(|t| t.kind.class()),
                &covering,
                all,
            ));
        }
    }
    // Findings at the very end of the line (or on an empty line) get a marker there.
    let at_end: Vec<&Mark> = ranges
        .iter()
        .filter(|r| r.0 == r.1 && r.0 == line.len())
        .map(|r| r.2)
        .collect();
    if !at_end.is_empty() {
        pieces.push(squiggle(String::new(), Some("sq-eol"), &at_end, all));
    }
    html! { <div class="line" data-line={number.to_string()}>{ pieces }</div> }
}

fn squiggle(
    piece: String,
    class: Option<&'static str>,
    covering: &[&Mark],
    all: &LineMarks,
) -> Html {
    let worst = covering
        .iter()
        .map(|m| m.severity)
        .min_by_key(|s| rank(*s))
        .map_or("info", severity_name);
    let findings: Vec<String> = covering.iter().map(|m| m.finding.to_string()).collect();
    let codes: Vec<&str> = covering
        .iter()
        .filter_map(|m| diagnostic(all, m.finding).map(|d| d.code.as_str()))
        .collect();
    html! {
        <span class={classes!("sq", format!("sq-{worst}"), class)} data-testid="squiggle"
              data-findings={findings.join(" ")} data-codes={codes.join(" ")}>{ piece }</span>
    }
}

/// The squiggle under the pointer, if any: the line from the pointer's height, then the
/// squiggles drawn on that line.
fn squiggle_under(
    event: &MouseEvent,
    area: &HtmlTextAreaElement,
    mirror_ref: &NodeRef,
    code_area_ref: &NodeRef,
    line_height: f64,
    drawn_start: usize,
) -> Option<Hover> {
    let y = f64::from(event.offset_y()) + f64::from(area.scroll_top()) - PADDING_TOP;
    if y < 0.0 {
        return None;
    }
    let line = (y / line_height) as usize + 1;
    if line <= drawn_start {
        return None;
    }
    let mirror = mirror_ref.cast::<Element>()?;
    let row = mirror
        .query_selector(&format!("[data-line=\"{line}\"]"))
        .ok()??;
    let squiggles = row.query_selector_all(".sq").ok()?;
    let (x, y) = (f64::from(event.client_x()), f64::from(event.client_y()));
    let origin = code_area_ref.cast::<Element>()?.get_bounding_client_rect();
    for i in 0..squiggles.length() {
        let Some(element) = squiggles.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        let rect = element.get_bounding_client_rect();
        // End-of-line markers are narrow: give them a few pixels more.
        let slack = if rect.width() < 4.0 { 6.0 } else { 0.0 };
        if x >= rect.left() - slack
            && x <= rect.right() + slack
            && y >= rect.top()
            && y <= rect.bottom()
        {
            let findings = element
                .get_attribute("data-findings")
                .unwrap_or_default()
                .split(' ')
                .filter_map(|n| n.parse().ok())
                .collect();
            return Some(Hover {
                findings,
                left: (rect.left() - origin.left()).max(0.0),
                top: rect.bottom() - origin.top() + 2.0,
            });
        }
    }
    None
}

fn schedule_hide(
    timer: &Rc<std::cell::RefCell<Option<Timeout>>>,
    hover: &UseStateHandle<Option<Hover>>,
) {
    let hover = hover.clone();
    *timer.borrow_mut() = Some(Timeout::new(HOVER_GRACE_MS, move || hover.set(None)));
}

/// Moves the mirror and the gutter so the drawn lines sit under the textarea's lines, given
/// its scroll position `(top, left)`.
fn follow_scroll(
    (scroll_top, scroll_left): (f64, f64),
    mirror_ref: &NodeRef,
    gutter_ref: &NodeRef,
    start: usize,
    line_height: f64,
) {
    let top = start as f64 * line_height - scroll_top;
    let left = -scroll_left;
    if let Some(mirror) = mirror_ref.cast::<HtmlElement>() {
        mirror
            .style()
            .set_property("transform", &format!("translate({left}px, {top}px)"))
            .ok();
    }
    if let Some(gutter) = gutter_ref.cast::<HtmlElement>() {
        gutter
            .style()
            .set_property("transform", &format!("translateY({top}px)"))
            .ok();
    }
}

/// The 1-based line and 0-based UTF-16 column of a UTF-16 offset.
fn line_column(text: &str, offset: u32) -> (usize, u32) {
    let (mut line, mut column, mut units) = (1usize, 0u32, 0u32);
    for c in text.chars() {
        if units >= offset {
            break;
        }
        units += c.len_utf16() as u32;
        if c == '\n' {
            line += 1;
            column = 0;
        } else {
            column += c.len_utf16() as u32;
        }
    }
    (line, column)
}

/// The text in the editor right now.
pub fn text(node_ref: &NodeRef) -> Option<String> {
    node_ref
        .cast::<HtmlTextAreaElement>()
        .map(|area| area.value())
}

/// Selects `range` in the editor and scrolls `line` (1-based) into view: browsers do not
/// scroll to a selection made by script.
pub fn select(node_ref: &NodeRef, range: Utf16Range, line: u32) {
    let Some(area) = node_ref.cast::<HtmlTextAreaElement>() else {
        return;
    };
    // Focus first: focusing may move the caret, and the selection must win.
    area.focus().ok();
    area.set_selection_range(range.start, range.end).ok();

    let line_height = read_line_height(&area).unwrap_or(DEFAULT_LINE_HEIGHT);
    let top = f64::from(line.saturating_sub(1)) * line_height;
    let view = f64::from(area.client_height());
    let scrolled = f64::from(area.scroll_top());
    if top < scrolled || top + line_height > scrolled + view {
        // A third of the way down, so the lines around it show too.
        area.set_scroll_top((top - view / 3.0).max(0.0) as i32);
    }
}

/// Replaces `range` with `text` as if typed: one step of the editor's undo history, and an
/// `input` event, so the page hears of it as of any edit. Where the browser cannot insert
/// text that way (or the text is too long to insert so), the value is set and `on_input` told
/// directly.
pub fn replace(node_ref: &NodeRef, range: Utf16Range, text: &str, on_input: &Callback<String>) {
    let Some(area) = node_ref.cast::<HtmlTextAreaElement>() else {
        return;
    };
    area.focus().ok();
    area.set_selection_range(range.start, range.end).ok();
    // Chromium inserts a long text this way line by line: tens of seconds for 3,000 lines.
    let inserted = text.len() <= MAX_UNDOABLE_INSERT
        && web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
            .and_then(|d| {
                d.exec_command_with_show_ui_and_value("insertText", false, text)
                    .ok()
            })
            .unwrap_or(false);
    if !inserted {
        let value = crate::fixes::apply(
            &area.value(),
            &crate::fixes::Replacement {
                range,
                text: text.to_owned(),
            },
        );
        area.set_value(&value);
        on_input.emit(value);
    }
}

/// Replaces the whole text (see [`replace`]), cursor at the start.
pub fn replace_all(node_ref: &NodeRef, text: &str, on_input: &Callback<String>) {
    let Some(area) = node_ref.cast::<HtmlTextAreaElement>() else {
        return;
    };
    let length = area.value().encode_utf16().count() as u32;
    replace(
        node_ref,
        Utf16Range {
            start: 0,
            end: length,
        },
        text,
        on_input,
    );
    area.set_selection_range(0, 0).ok();
    area.set_scroll_top(0);
}

fn read_line_height(area: &HtmlTextAreaElement) -> Option<f64> {
    let style = web_sys::window()?.get_computed_style(area).ok()??;
    let value = style.get_property_value("line-height").ok()?;
    value.strip_suffix("px")?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_cover_the_view_and_move_in_steps() {
        let w = Window::for_scroll(0.0, 400.0, 20.0);
        assert_eq!(w.start, 0);
        assert!(w.rows >= 21);
        // Scrolled to line 100: the window starts a step above the step holding it.
        let w = Window::for_scroll(2000.0, 400.0, 20.0);
        assert_eq!(w.start, 64);
        assert!(w.start + w.rows >= 100 + 21);
        assert_eq!(
            Window::for_scroll(2010.0, 400.0, 20.0),
            w,
            "small scrolls keep it"
        );
    }

    #[test]
    fn caret_line_and_column() {
        assert_eq!(line_column("ab\ncé😀d", 0), (1, 0));
        assert_eq!(line_column("ab\ncé😀d", 3), (2, 0));
        assert_eq!(line_column("ab\ncé😀d", 7), (2, 4));
        assert_eq!(line_column("ab", 99), (1, 2));
    }

    #[test]
    fn rule_pages_are_relative_and_plain() {
        assert_eq!(rule_page_for("DL3020", false), "rules/DL3020/");
        assert_eq!(
            rule_page_for("JSONArgsRecommended", false),
            "rules/JSONArgsRecommended/"
        );
        assert_eq!(rule_page_for("../x?y", false), "rules/xy/");
        assert_eq!(
            rule_page_for("DL3020", true),
            "https://layerlab.dev/rules/DL3020"
        );
    }
}
