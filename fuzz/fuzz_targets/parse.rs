//! `parse`: arbitrary bytes → lossy UTF-8 → every public entry point of `layerlab-syntax` that
//! the browser reaches, plus the span invariants the editor relies on. See ../README.md.
#![no_main]

use std::cell::Cell;

use layerlab_syntax::expansion::{expandables, Mode};
use layerlab_syntax::shell::{Lex, NoEnv};
use layerlab_syntax::{dump, instructions, parse, report, Instruction, LineIndex, Span};
use libfuzzer_sys::fuzz_target;

thread_local! {
    static ROUND_TRIPS: Cell<usize> = const { Cell::new(0) };
    static MAPPED_CHARS: Cell<usize> = const { Cell::new(0) };
}
const ROUND_TRIP_BUDGET: usize = 256;
/// How many characters of `Instruction::original` are mapped back to the file per input.
const MAPPED_CHARS_BUDGET: usize = 8192;

fuzz_target!(|data: &[u8]| {
    ROUND_TRIPS.set(0);
    MAPPED_CHARS.set(0);
    let text = String::from_utf8_lossy(data);
    let text: &str = &text;

    let parsed = parse(text);
    let _ = dump::buildkit_dump(&parsed.dockerfile);
    let checked = instructions::check(&parsed.dockerfile);
    let report = report::parse_report(text);
    // What the wasm crate does with the report (it goes through serde-wasm-bindgen there).
    let _ = serde_json::to_string(&report).expect("report serializes");
    let _ = serde_json::to_string(&parsed.dockerfile).expect("tree serializes");

    let index = LineIndex::new(text);
    let file = &parsed.dockerfile;

    // Every span in the tree.
    for directive in &file.directives {
        check_span(text, &index, directive.span, "directive");
        assert!(text[directive.span.start..].starts_with('#'), "directive span {:?}", directive.span);
    }
    for &comment in &file.comments {
        check_span(text, &index, comment, "comment");
        assert!(text[comment.start..].starts_with('#'), "comment span {comment:?}");
    }
    let mut previous: Option<&Instruction> = None;
    for instruction in &file.instructions {
        check_instruction(text, &index, instruction, 0);
        check_line_map(text, instruction, &instruction.original, 0);
        check_expandables(text, &index, instruction, file.escape);
        if let Some(previous) = previous {
            assert!(
                previous.span.end <= instruction.span.start,
                "instructions overlap or are out of order: {:?} then {:?}",
                previous.span,
                instruction.span
            );
            assert!(
                previous.end_line < instruction.start_line,
                "instruction lines overlap: {}..={} then {}..={}",
                previous.start_line,
                previous.end_line,
                instruction.start_line,
                instruction.end_line
            );
        }
        previous = Some(instruction);
    }

    // Every diagnostic, from both layers.
    for diagnostic in parsed.errors.iter().chain(&parsed.warnings).chain(&checked) {
        check_span(text, &index, diagnostic.span, diagnostic.code);
    }

    // The report agrees with the tree it was built from.
    assert_eq!(report.instructions.len(), file.instructions.len());
    assert_eq!(
        report.diagnostics.len(),
        parsed.errors.len() + parsed.warnings.len() + checked.len()
    );
    assert_eq!(report.escape, file.escape);
    for entry in &report.instructions {
        assert!(entry.line <= entry.end_line, "outline lines {entry:?}");
    }
    for d in &report.diagnostics {
        assert!(d.start_offset <= d.end_offset && d.end_offset <= text.len(), "{d:?}");
        assert!((d.start.line, d.start.column) <= (d.end.line, d.end.column), "{d:?}");
    }
});

fn check_instruction(text: &str, index: &LineIndex<'_>, instruction: &Instruction, depth: usize) {
    let span = instruction.span;
    check_span(text, index, span, "instruction");
    check_span(text, index, instruction.keyword.span, "keyword");
    check_span(text, index, instruction.args_span, "args_span");
    assert!(
        instruction.start_line >= 1 && instruction.start_line <= instruction.end_line,
        "lines {}..={}",
        instruction.start_line,
        instruction.end_line
    );
    assert!(
        instruction.end_line <= index.line_count(),
        "end_line {} past the last line {}",
        instruction.end_line,
        index.line_count()
    );
    assert_eq!(
        instruction.keyword.span.start, span.start,
        "instruction span does not start at its keyword"
    );
    within(instruction.keyword.span, span, "keyword");
    within(instruction.args_span, span, "args_span");
    for flag in &instruction.flags {
        check_span(text, index, flag.span, "flag");
        within(flag.span, span, "flag");
    }
    for arg in &instruction.args {
        check_span(text, index, arg.span, "arg");
        within(arg.span, span, "arg");
    }
    let mut after = instruction.keyword.span.end;
    for heredoc in &instruction.heredocs {
        check_span(text, index, heredoc.body_span, "heredoc body");
        check_span(text, index, heredoc.terminator_span, "heredoc terminator");
        within(heredoc.body_span, span, "heredoc body");
        within(heredoc.terminator_span, span, "heredoc terminator");
        assert_eq!(
            heredoc.content,
            text[heredoc.body_span.start..heredoc.body_span.end],
            "heredoc content is not the text of its body span"
        );
        assert!(
            after <= heredoc.body_span.start && heredoc.body_span.end <= heredoc.terminator_span.start,
            "heredoc spans out of order: after {after}, {heredoc:?}"
        );
        after = heredoc.terminator_span.end;
    }
    if let Some(trigger) = &instruction.trigger {
        assert!(depth < 64, "ONBUILD nesting deeper than the parser's bound");
        within(trigger.span, span, "ONBUILD trigger");
        assert!(
            instruction.start_line <= trigger.start_line && trigger.end_line <= instruction.end_line,
            "ONBUILD trigger lines outside its instruction"
        );
        check_instruction(text, index, trigger, depth + 1);
    }
}

fn check_span(text: &str, index: &LineIndex<'_>, span: Span, what: &str) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what} span {span:?} out of bounds (len {})",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what} span {span:?} not on char boundaries"
    );
    // The editor path: offset → line/column → offset must round-trip on char boundaries.
    // Both directions walk the line, so only the first spans are checked: on a 64 KiB line
    // with thousands of words this would otherwise dominate the run time.
    if ROUND_TRIPS.get() >= ROUND_TRIP_BUDGET {
        return;
    }
    ROUND_TRIPS.set(ROUND_TRIPS.get() + 1);
    for offset in [span.start, span.end] {
        let pos = index.line_col(offset);
        let back = index.offset_of_utf16(pos.line - 1, pos.utf16_column - 1);
        assert_eq!(back, offset, "{what} offset {offset} → {pos:?} → {back}");
    }
}

/// `Instruction::original` and `map_original` / `args_offset`, in the coordinates they use
/// today: those of the top-level instruction's logical line (`logical`), which an ONBUILD
/// trigger's `original` is a slice of, starting at `base` (its parent's `args_offset`).
fn check_line_map(text: &str, instruction: &Instruction, logical: &str, base: usize) {
    let original = &instruction.original;
    assert_eq!(
        logical.get(base..base + original.len()),
        Some(original.as_str()),
        "original is not a slice of the logical line at {base}"
    );
    let offset = instruction.args_offset;
    assert!(
        base <= offset && offset <= base + original.len() && logical.is_char_boundary(offset),
        "args_offset {offset} outside the instruction's part of the logical line"
    );
    // The map is lossless: every character of the logical line maps to the same character in
    // the file (pieces are copied from physical lines, continuations dropped).
    for (at, ch) in original.char_indices() {
        if MAPPED_CHARS.get() >= MAPPED_CHARS_BUDGET {
            break;
        }
        MAPPED_CHARS.set(MAPPED_CHARS.get() + 1);
        let at = base + at;
        let span = instruction.map_original(at..at + ch.len_utf8());
        assert_eq!(
            text.get(span.start..span.end),
            Some(ch.encode_utf8(&mut [0; 4]) as &str),
            "logical offset {at} ({ch:?}) maps to {span:?}"
        );
    }
    let whole = instruction.map_original(base..base + original.len());
    assert!(
        whole.end <= text.len() && text.is_char_boundary(whole.start) && text.is_char_boundary(whole.end),
        "map_original of the whole line: {whole:?}"
    );
    if let Some(trigger) = &instruction.trigger {
        check_line_map(text, trigger, logical, offset);
    }
}

/// `expansion::expandables`: each piece's span is a valid span of the instruction, and the
/// piece expands without panicking the way BuildKit would expand it (no variables set).
fn check_expandables(text: &str, index: &LineIndex<'_>, instruction: &Instruction, escape: char) {
    for piece in expandables(instruction) {
        check_span(text, index, piece.span, piece.role);
        within(piece.span, instruction.span, piece.role);
        let lex = match piece.mode {
            Mode::HeredocBody => Lex {
                skip_process_quotes: true,
                ..Lex::new('\\')
            },
            _ => Lex::new(escape),
        };
        match piece.mode {
            Mode::Words => {
                let _ = lex.process_words(piece.text, &NoEnv);
            }
            _ => {
                let _ = lex.process_word_with_matches(piece.text, &NoEnv);
            }
        }
    }
    if let Some(trigger) = &instruction.trigger {
        check_expandables(text, index, trigger, escape);
    }
}

fn within(inner: Span, outer: Span, what: &str) {
    assert!(
        outer.start <= inner.start && inner.end <= outer.end,
        "{what} span {inner:?} outside its instruction {outer:?}"
    );
}
