//! A list that draws only the rows in view (plus a margin), for the problems and the outline
//! of a 3,000-line file: a new report re-renders a few dozen rows, not thousands. Rows have
//! one fixed height ([`VirtualListProps::row_height`], matched by `.vrow` in style.css).
//!
//! Keyboard: the arrow keys, Home, End, Page Up and Page Down move the focus between rows
//! (scrolling rows into existence as needed); Enter activates the focused row's button.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

/// Rows per step of the drawn window.
const STEP: usize = 16;

#[derive(Properties, PartialEq)]
pub struct VirtualListProps {
    pub len: usize,
    /// Every row's height in px.
    pub row_height: f64,
    /// The content of row `i` (the list wraps it in its `<li>`).
    pub render_row: Callback<usize, Html>,
    /// The list's accessible name.
    pub label: AttrValue,
    /// `<ol>` rather than `<ul>`.
    #[prop_or_default]
    pub ordered: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Window {
    start: usize,
    rows: usize,
}

fn window_for(scroll_top: f64, view_height: f64, row_height: f64) -> Window {
    let top = (scroll_top.max(0.0) / row_height) as usize;
    let visible = (view_height.max(0.0) / row_height).ceil() as usize + 1;
    Window {
        start: (top / STEP).saturating_sub(1) * STEP,
        rows: visible + 3 * STEP,
    }
}

#[component]
pub fn VirtualList(props: &VirtualListProps) -> Html {
    let viewport_ref = use_node_ref();
    let rows_ref = use_node_ref();
    let window = use_state(|| window_for(0.0, 600.0, props.row_height));
    // A row to focus once it is drawn (keyboard navigation).
    let pending_focus: Rc<RefCell<Option<usize>>> = use_mut_ref(|| None);

    {
        let (viewport_ref, rows_ref, window) =
            (viewport_ref.clone(), rows_ref.clone(), window.clone());
        let (len, row_height, pending_focus) = (props.len, props.row_height, pending_focus.clone());
        // When the drawn rows or their number change (not on every render of the page).
        use_effect_with((window.start, len), move |&(start, len)| {
            let start = start.min(len);
            if let Some(rows) = rows_ref.cast::<HtmlElement>() {
                let style = rows.style();
                style
                    .set_property("padding-top", &format!("{}px", start as f64 * row_height))
                    .ok();
                style
                    .set_property("height", &format!("{}px", len as f64 * row_height))
                    .ok();
            }
            if let Some(viewport) = viewport_ref.cast::<Element>() {
                let fitted = window_for(
                    f64::from(viewport.scroll_top()),
                    f64::from(viewport.client_height()),
                    row_height,
                );
                if fitted != *window {
                    window.set(fitted);
                }
                let wanted = *pending_focus.borrow();
                if let Some(index) = wanted {
                    if focus_row(&viewport, index) {
                        pending_focus.borrow_mut().take();
                    }
                }
            }
        });
    }

    let onscroll = {
        let (window, row_height) = (window.clone(), props.row_height);
        Callback::from(move |event: Event| {
            let viewport = event.target_unchecked_into::<Element>();
            let wanted = window_for(
                f64::from(viewport.scroll_top()),
                f64::from(viewport.client_height()),
                row_height,
            );
            if wanted != *window {
                window.set(wanted);
            }
        })
    };

    let onkeydown = {
        let (window, len, row_height) = (window.clone(), props.len, props.row_height);
        let (viewport_ref, pending_focus) = (viewport_ref.clone(), pending_focus.clone());
        Callback::from(move |event: KeyboardEvent| {
            let Some(viewport) = viewport_ref.cast::<Element>() else {
                return;
            };
            let current = focused_index(&viewport);
            let page = ((f64::from(viewport.client_height()) / row_height) as usize).max(1);
            let target = match (event.key().as_str(), current) {
                ("ArrowDown", Some(i)) => i + 1,
                ("ArrowUp", Some(i)) => i.saturating_sub(1),
                ("PageDown", Some(i)) => i + page,
                ("PageUp", Some(i)) => i.saturating_sub(page),
                ("Home", _) => 0,
                ("End", _) => len.saturating_sub(1),
                _ => return,
            };
            if len == 0 {
                return;
            }
            event.prevent_default();
            let target = target.min(len - 1);
            // Scroll the row into view, draw it, then focus it.
            let top = target as f64 * row_height;
            let view = f64::from(viewport.client_height());
            let scrolled = f64::from(viewport.scroll_top());
            let new_top = if top < scrolled {
                top
            } else if top + row_height > scrolled + view {
                top + row_height - view
            } else {
                scrolled
            };
            viewport.set_scroll_top(new_top as i32);
            if !focus_row(&viewport, target) {
                *pending_focus.borrow_mut() = Some(target);
                let wanted = window_for(new_top, view, row_height);
                if wanted != *window {
                    window.set(wanted);
                }
            }
        })
    };

    let start = window.start.min(props.len);
    let end = (start + window.rows).min(props.len);
    let rows = (start..end).map(|i| {
        html! {
            <li key={i} class="vrow" data-index={i.to_string()}>{ props.render_row.emit(i) }</li>
        }
    });
    let list = if props.ordered {
        html! { <ol class="rows vrows" ref={rows_ref}>{ for rows }</ol> }
    } else {
        html! { <ul class="rows vrows" ref={rows_ref}>{ for rows }</ul> }
    };
    html! {
        <div class="vlist" ref={viewport_ref} {onscroll} {onkeydown} aria-label={props.label.clone()}>
            { list }
        </div>
    }
}

/// The index of the row holding the focus, if it is in this list.
fn focused_index(viewport: &Element) -> Option<usize> {
    let active = web_sys::window()?.document()?.active_element()?;
    if !viewport.contains(Some(&active)) {
        return None;
    }
    active
        .closest("[data-index]")
        .ok()??
        .get_attribute("data-index")?
        .parse()
        .ok()
}

/// Focuses the first button or link of row `index`; false when it is not drawn.
fn focus_row(viewport: &Element, index: usize) -> bool {
    let selector = format!("[data-index=\"{index}\"] button, [data-index=\"{index}\"] a");
    match viewport
        .query_selector(&selector)
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
    {
        Some(element) => element.focus().is_ok(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_holds_the_view_with_a_margin() {
        let w = window_for(0.0, 280.0, 28.0);
        assert_eq!(w.start, 0);
        assert!(w.rows >= 11);
        let w = window_for(28.0 * 100.0, 280.0, 28.0);
        assert!(w.start <= 100 && w.start + w.rows >= 111, "{w:?}");
    }
}
