use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::text::{gutter, line_count, Utf16Range};

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    /// The text. Typing changes the textarea first and this follows through `on_input`; the
    /// textarea is only written when the two differ (e.g. text loaded by the page).
    pub value: AttrValue,
    pub on_input: Callback<String>,
    /// The `<textarea>`, so the page can select text in it (see [`select`]).
    pub node_ref: NodeRef,
}

/// A plain `<textarea>` with a line-number gutter. Lines never wrap, so gutter row N is
/// always line N.
#[component]
pub fn Editor(props: &EditorProps) -> Html {
    let gutter_ref = use_node_ref();
    {
        // Not a `value` attribute: Yew would rewrite the whole textarea on every keystroke,
        // which costs tens of milliseconds on a long file.
        let area_ref = props.node_ref.clone();
        use_effect_with(props.value.clone(), move |value| {
            if let Some(area) = area_ref.cast::<HtmlTextAreaElement>() {
                if area.value() != value.as_str() {
                    area.set_value(value);
                }
            }
        });
    }
    let lines = line_count(&props.value);
    // One text node, rebuilt only when the number of lines changes.
    let numbers = use_memo(lines, |&lines| AttrValue::from(gutter(lines)));

    let oninput = props
        .on_input
        .reform(|event: InputEvent| event.target_unchecked_into::<HtmlTextAreaElement>().value());
    let onscroll = {
        let gutter_ref = gutter_ref.clone();
        Callback::from(move |event: Event| {
            let area = event.target_unchecked_into::<HtmlTextAreaElement>();
            if let Some(gutter) = gutter_ref.cast::<web_sys::Element>() {
                gutter.set_scroll_top(area.scroll_top());
            }
        })
    };

    html! {
        <div class="editor">
            <pre class="gutter" aria-hidden="true" ref={gutter_ref}>{ (*numbers).clone() }</pre>
            <textarea
                ref={props.node_ref.clone()}
                class="code"
                data-testid="editor"
                aria-label="Dockerfile"
                spellcheck="false"
                autocomplete="off"
                autocapitalize="off"
                wrap="off"
                {oninput}
                {onscroll}
            />
        </div>
    }
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

    let Some(line_height) = line_height(&area) else {
        return;
    };
    let top = f64::from(line.saturating_sub(1)) * line_height;
    let view = f64::from(area.client_height());
    let scrolled = f64::from(area.scroll_top());
    if top < scrolled || top + line_height > scrolled + view {
        // A third of the way down, so the lines around it show too.
        area.set_scroll_top((top - view / 3.0).max(0.0) as i32);
    }
}

fn line_height(area: &HtmlTextAreaElement) -> Option<f64> {
    let style = web_sys::window()?.get_computed_style(area).ok()??;
    let value = style.get_property_value("line-height").ok()?;
    value.strip_suffix("px")?.parse().ok()
}
