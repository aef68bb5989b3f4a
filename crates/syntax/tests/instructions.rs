//! The instruction layer (`layerlab_syntax::instructions::check`): BuildKit's messages, and
//! the source text each diagnostic's span covers.
#![allow(clippy::unwrap_used, clippy::panic)]

#[path = "../../../tests/support/corpus.rs"]
mod corpus;

use layerlab_syntax::{instructions, parse, Severity};

/// `(code, message, spanned source text)` for every instruction-layer diagnostic.
fn diagnostics(src: &str) -> Vec<(&'static str, String, String)> {
    let parsed = parse(src);
    instructions::check(&parsed.dockerfile)
        .into_iter()
        .map(|d| {
            assert_eq!(d.severity, Severity::Error);
            assert!(d.span.start <= d.span.end && d.span.end <= src.len());
            (d.code, d.message, src[d.span.start..d.span.end].to_owned())
        })
        .collect()
}

/// Asserts exactly one diagnostic with this message over this text; returns its code.
#[track_caller]
fn error(src: &str, message: &str, spanned: &str) -> &'static str {
    let found = diagnostics(src);
    assert_eq!(
        found.len(),
        1,
        "expected one error for:\n{src}\ngot: {found:#?}"
    );
    let (code, found_message, found_spanned) = found.into_iter().next().unwrap();
    assert_eq!(found_message, message, "message for:\n{src}");
    assert_eq!(found_spanned, spanned, "span for:\n{src}");
    code
}

#[track_caller]
fn error_with_code(src: &str, code: &str, message: &str, spanned: &str) {
    assert_eq!(error(src, message, spanned), code, "code for:\n{src}");
}

#[track_caller]
fn clean(src: &str) {
    let found = diagnostics(src);
    assert!(
        found.is_empty(),
        "expected no errors for:\n{src}\ngot: {found:#?}"
    );
}

/// A stage with `line` in it.
fn stage(line: &str) -> String {
    format!("FROM alpine\n{line}\n")
}

// ---------------------------------------------------------------- unknown instructions

#[test]
fn unknown_instruction_with_suggestion_in_matching_case() {
    error_with_code(
        &stage("FORM alpine"),
        "instruction/unknown",
        "unknown instruction: FORM (did you mean FROM?)",
        "FORM",
    );
    error(
        &stage("form alpine"),
        "unknown instruction: form (did you mean from?)",
        "form",
    );
    // Mixed case: BuildKit suggests the lower-cased name.
    error(
        &stage("FoRm alpine"),
        "unknown instruction: FoRm (did you mean from?)",
        "FoRm",
    );
    error(
        &stage("COPPY a b"),
        "unknown instruction: COPPY (did you mean COPY?)",
        "COPPY",
    );
    error(
        &stage("RUNN echo"),
        "unknown instruction: RUNN (did you mean RUN?)",
        "RUNN",
    );
    error(
        &stage("EXPOSED 80"),
        "unknown instruction: EXPOSED (did you mean EXPOSE?)",
        "EXPOSED",
    );
}

#[test]
fn unknown_instruction_without_suggestion() {
    error(&stage("FOOBAR x"), "unknown instruction: FOOBAR", "FOOBAR");
    error(&stage("PIP install x"), "unknown instruction: PIP", "PIP");
}

#[test]
fn unknown_instruction_before_from_is_only_reported_as_unknown() {
    error(
        "FOOBAR x\nFROM alpine\n",
        "unknown instruction: FOOBAR",
        "FOOBAR",
    );
}

#[test]
fn continuation_mistake_makes_an_unknown_instruction() {
    let src = "FROM alpine\nENV A=1 \\\n    B=2\n    C=3 \\\n    D=4\n";
    // `c=3` is two edits from `cmd`; the all-upper input gets an upper-case suggestion.
    error(src, "unknown instruction: C=3 (did you mean CMD?)", "C=3");
}

// ---------------------------------------------------------------- argument counts

#[test]
fn from_argument_count() {
    error_with_code(
        "FROM\n",
        "instruction/arguments",
        "FROM requires either one or three arguments",
        "FROM",
    );
    error(
        "FROM alpine builder\n",
        "FROM requires either one or three arguments",
        "alpine builder",
    );
    error(
        "FROM alpine AS\n",
        "FROM requires either one or three arguments",
        "alpine AS",
    );
    error(
        "FROM alpine TO x\n",
        "FROM requires either one or three arguments",
        "alpine TO x",
    );
    error(
        "FROM a AS b c\n",
        "FROM requires either one or three arguments",
        "a AS b c",
    );
}

#[test]
fn stage_names() {
    error_with_code(
        "FROM alpine AS 1x\n",
        "instruction/stage",
        "invalid name for build stage: \"1x\", name can't start with a number or contain symbols",
        "1x",
    );
    error(
        "FROM alpine AS b@d\n",
        "invalid name for build stage: \"b@d\", name can't start with a number or contain symbols",
        "b@d",
    );
    error(
        "FROM alpine AS _x\n",
        "invalid name for build stage: \"_x\", name can't start with a number or contain symbols",
        "_x",
    );
    clean("FROM alpine AS Build\n");
    clean("FROM alpine as build-1.x_y\n");
    clean("FROM alpine aS b\n");
    clean("from alpine As b\n");
}

#[test]
fn copy_and_add_need_a_destination() {
    error_with_code(
        &stage("COPY src"),
        "instruction/arguments",
        "COPY requires at least two arguments, but only one was provided. Destination could not be determined",
        "src",
    );
    error(
        &stage("ADD src"),
        "ADD requires at least two arguments, but only one was provided. Destination could not be determined",
        "src",
    );
    error(
        &stage("COPY"),
        "COPY requires at least two arguments, but only one was provided. Destination could not be determined",
        "COPY",
    );
    error(
        &stage(r#"COPY ["only"]"#),
        "COPY requires at least two arguments, but only one was provided. Destination could not be determined",
        r#""only""#,
    );
    // The count is checked before the flags.
    error(
        &stage("COPY --bogus src"),
        "COPY requires at least two arguments, but only one was provided. Destination could not be determined",
        "src",
    );
}

#[test]
fn heredoc_destination() {
    let src = "FROM alpine\nCOPY <<EOF <<OUT\nhello\nEOF\nx\nOUT\n";
    error_with_code(
        src,
        "instruction/arguments",
        "COPY cannot accept a heredoc as a destination",
        "<<OUT",
    );
    let src = "FROM alpine\nADD <<EOF <<-OUT\nhello\nEOF\n\tOUT\n";
    error(
        src,
        "ADD cannot accept a heredoc as a destination",
        "<<-OUT",
    );
}

#[test]
fn exactly_one_argument() {
    error(
        &stage("WORKDIR"),
        "WORKDIR requires exactly one argument",
        "WORKDIR",
    );
    error(&stage("USER"), "USER requires exactly one argument", "USER");
    error(
        &stage("MAINTAINER"),
        "MAINTAINER requires exactly one argument",
        "MAINTAINER",
    );
    error(
        &stage("STOPSIGNAL"),
        "STOPSIGNAL requires exactly one argument",
        "STOPSIGNAL",
    );
    // The whole rest of the line is the one argument.
    clean(&stage("WORKDIR /a b"));
    clean(&stage("USER app:app"));
}

#[test]
fn at_least_one_argument() {
    error(&stage("ARG"), "ARG requires at least one argument", "ARG");
    error(&stage("ENV"), "ENV requires at least one argument", "ENV");
    error(
        &stage("LABEL"),
        "LABEL requires at least one argument",
        "LABEL",
    );
    error(
        &stage("EXPOSE"),
        "EXPOSE requires at least one argument",
        "EXPOSE",
    );
    error(
        &stage("VOLUME"),
        "VOLUME requires at least one argument",
        "VOLUME",
    );
    error(
        &stage("VOLUME []"),
        "VOLUME requires at least one argument",
        "[]",
    );
    error(
        &stage("HEALTHCHECK"),
        "HEALTHCHECK requires at least one argument",
        "HEALTHCHECK",
    );
    error(
        &stage("ONBUILD"),
        "ONBUILD requires at least one argument",
        "ONBUILD",
    );
    error(
        &stage("SHELL"),
        "SHELL requires at least one argument",
        "SHELL",
    );
    error(
        &stage("SHELL []"),
        "SHELL requires at least one argument",
        "[]",
    );
}

#[test]
fn blank_names() {
    error(&stage("ENV =value"), "ENV names can not be blank", "=value");
    error(&stage("ENV A=1 =2"), "ENV names can not be blank", "=2");
    error(&stage("LABEL =x"), "LABEL names can not be blank", "=x");
    error(&stage("ARG =x"), "ARG names can not be blank", "=x");
    error(&stage("ARG A=1 =2"), "ARG names can not be blank", "=2");
    clean(&stage("ARG A B=2 C="));
}

#[test]
fn volume_empty_string() {
    error(
        &stage(r#"VOLUME [""]"#),
        "VOLUME specified can not be an empty string",
        r#""""#,
    );
    error(
        &stage(r#"VOLUME ["/data", "  "]"#),
        "VOLUME specified can not be an empty string",
        r#""  ""#,
    );
    clean(&stage(r#"VOLUME ["/data", "/logs"]"#));
    clean(&stage("VOLUME /data /logs"));
}

#[test]
fn shell_needs_json() {
    error_with_code(
        &stage("SHELL /bin/bash -c"),
        "instruction/arguments",
        "SHELL requires the arguments to be in JSON form",
        "/bin/bash -c",
    );
    error(
        &stage("SHELL ['bash', '-c']"),
        "SHELL requires the arguments to be in JSON form",
        "['bash', '-c']",
    );
    clean(&stage(r#"SHELL ["/bin/bash", "-o", "pipefail", "-c"]"#));
}

#[test]
fn syntax_layer_failures_are_left_to_the_syntax_layer() {
    // BuildKit's parser rejects these; its instruction layer never sees them.
    clean(&stage("ENV ONLYKEY"));
    clean(&stage("LABEL a=1 b"));
    clean(&stage("CMD [1, 2]"));
    clean(&stage("COPY [1] /x"));
    clean(&stage("ONBUILD ENV ONLYKEY"));
    clean("FROM alpine AS base\nONBUILD RUN [true]\nFROM base\n");
}

// ---------------------------------------------------------------- flags

#[test]
fn unknown_flags() {
    error_with_code(
        &stage("COPY --chonw=1000 a b"),
        "instruction/flag",
        "unknown flag: --chonw (did you mean chown?)",
        "--chonw=1000",
    );
    error(
        &stage("COPY --frm=build a b"),
        "unknown flag: --frm (did you mean from?)",
        "--frm=build",
    );
    error(
        &stage("COPY --bogus a b"),
        "unknown flag: --bogus",
        "--bogus",
    );
    // Names are case-sensitive.
    error(
        &stage("COPY --FROM=build a b"),
        "unknown flag: --FROM",
        "--FROM=build",
    );
    // ADD has no --from and no --parents.
    error(
        &stage("ADD --from=build a b"),
        "unknown flag: --from",
        "--from=build",
    );
    error(
        &stage("ADD --parents a b"),
        "unknown flag: --parents",
        "--parents",
    );
    error(
        &stage("FROM --plaform=linux/amd64 alpine"),
        "unknown flag: --plaform (did you mean platform?)",
        "--plaform=linux/amd64",
    );
    error(&stage("ENV --foo=1 A=b"), "unknown flag: --foo", "--foo=1");
    error(&stage("LABEL --x a=b"), "unknown flag: --x", "--x");
    error(
        &stage("MAINTAINER --boo me"),
        "unknown flag: --boo",
        "--boo",
    );
    error(
        &stage(r#"CMD --doit ["a"]"#),
        "unknown flag: --doit",
        "--doit",
    );
    error(&stage("ENTRYPOINT --x sh"), "unknown flag: --x", "--x");
    error(&stage("WORKDIR --x /a"), "unknown flag: --x", "--x");
    error(&stage("USER --x me"), "unknown flag: --x", "--x");
    error(&stage("EXPOSE --x 80"), "unknown flag: --x", "--x");
    error(&stage("VOLUME --x /a"), "unknown flag: --x", "--x");
    error(&stage(r#"SHELL --x ["sh"]"#), "unknown flag: --x", "--x");
    error(
        &stage("RUN --mnt=type=cache true"),
        "unknown flag: --mnt (did you mean mount?)",
        "--mnt=type=cache",
    );
    error(&stage("ONBUILD --x RUN true"), "unknown flag: --x", "--x");
}

#[test]
fn instructions_that_never_parse_flags() {
    clean("ARG --foo=1 X\nFROM alpine\nARG --bar Y\n");
    clean(&stage("STOPSIGNAL --foo SIGTERM"));
    clean(&stage("HEALTHCHECK --foo NONE"));
}

#[test]
fn missing_values() {
    error(
        &stage("COPY --from a b"),
        "missing a value on flag: --from",
        "--from",
    );
    error(
        &stage("COPY --link= a b"),
        "missing a value on flag: --link",
        "--link=",
    );
    error(
        &stage("RUN --mount true"),
        "missing a value on flag: --mount",
        "--mount",
    );
    error(
        &stage("COPY --exclude a b"),
        "missing a value on flag: --exclude",
        "--exclude",
    );
    // An empty value is a value for string flags.
    clean(&stage("COPY --chown= a b"));
}

#[test]
fn duplicate_flags() {
    error(
        &stage("COPY --from=a --from=b x y"),
        "duplicate flag specified: --from",
        "--from=b",
    );
    error(
        &stage("COPY --link --link=false a b"),
        "duplicate flag specified: --link",
        "--link=false",
    );
    error(
        &stage("RUN --network=host --network=none true"),
        "duplicate flag specified: --network",
        "--network=none",
    );
    clean(&stage("COPY --exclude=*.md --exclude=*.txt . /app"));
    clean(&stage("ADD --exclude=a --exclude=b . /app"));
    clean(&stage(
        "RUN --mount=type=cache,target=/a --mount=type=cache,target=/b true",
    ));
}

#[test]
fn boolean_flags() {
    error(
        &stage("COPY --link=yes a b"),
        "expecting boolean value for flag --link, not: yes",
        "--link=yes",
    );
    error(
        &stage("COPY --parents=1 a b"),
        "expecting boolean value for flag --parents, not: 1",
        "--parents=1",
    );
    error(
        &stage("ADD --keep-git-dir=maybe https://github.com/a/b.git /src"),
        "expecting boolean value for flag --keep-git-dir, not: maybe",
        "--keep-git-dir=maybe",
    );
    error(
        &stage("ADD --unpack=on a.tar /x"),
        "expecting boolean value for flag --unpack, not: on",
        "--unpack=on",
    );
    clean(&stage("COPY --link=TRUE --parents=False a b"));
    clean(&stage(
        "ADD --link --unpack=true --keep-git-dir=false a.tar /x",
    ));
}

#[test]
fn first_flag_error_wins() {
    error(
        &stage("COPY --bogus --link=yes a b"),
        "unknown flag: --bogus",
        "--bogus",
    );
}

#[test]
fn quoted_flag_spans_cover_the_source() {
    error(
        &stage(r#"COPY --link="yes" a b"#),
        "expecting boolean value for flag --link, not: yes",
        r#"--link="yes""#,
    );
}

// ---------------------------------------------------------------- ONBUILD

#[test]
fn onbuild_triggers() {
    error_with_code(
        &stage("ONBUILD ONBUILD RUN true"),
        "instruction/onbuild",
        "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
        "ONBUILD",
    );
    let src = stage("ONBUILD onbuild RUN true");
    let found = diagnostics(&src);
    assert_eq!(found.len(), 1);
    assert_eq!(&src[src.find("onbuild").unwrap()..][..7], found[0].2);
    error(
        &stage("ONBUILD FROM alpine"),
        "FROM isn't allowed as an ONBUILD trigger",
        "FROM",
    );
    error(
        &stage("onbuild from alpine"),
        "FROM isn't allowed as an ONBUILD trigger",
        "from",
    );
    error(
        &stage("ONBUILD Maintainer me"),
        "MAINTAINER isn't allowed as an ONBUILD trigger",
        "Maintainer",
    );
    clean(&stage("ONBUILD RUN make"));
    clean(&stage("ONBUILD COPY . /app"));
}

#[test]
fn onbuild_trigger_is_only_validated_where_it_fires() {
    // Nothing in this file builds on the stage: the trigger is stored, not parsed.
    clean(&stage("ONBUILD RUN --bogus true"));
    clean(&stage("ONBUILD FOO x"));
    // A later stage builds FROM it: BuildKit parses the trigger there.
    let src =
        "FROM alpine AS base\nONBUILD RUN --bogus true\nONBUILD FOO x\nFROM base\nFROM base\n";
    let found = diagnostics(src);
    assert_eq!(
        found,
        vec![
            (
                "instruction/flag",
                "unknown flag: --bogus".to_owned(),
                "--bogus".to_owned()
            ),
            (
                "instruction/unknown",
                "unknown instruction: FOO (did you mean FROM?)".to_owned(),
                "FOO".to_owned()
            ),
        ]
    );
}

// ---------------------------------------------------------------- HEALTHCHECK

#[test]
fn healthcheck_types() {
    error_with_code(
        &stage("HEALTHCHECK CONNECT localhost"),
        "instruction/healthcheck",
        "Unknown type \"CONNECT\" in HEALTHCHECK (try CMD)",
        "CONNECT",
    );
    error(
        &stage("HEALTHCHECK connect x"),
        "Unknown type \"CONNECT\" in HEALTHCHECK (try CMD)",
        "connect",
    );
    error(
        &stage("HEALTHCHECK NONE extra args"),
        "HEALTHCHECK NONE takes no arguments",
        "extra args",
    );
    error(
        &stage("HEALTHCHECK CMD"),
        "Missing command after HEALTHCHECK CMD",
        "CMD",
    );
    error(
        &stage("HEALTHCHECK CMD []"),
        "Missing command after HEALTHCHECK CMD",
        "CMD",
    );
    clean(&stage("HEALTHCHECK NONE"));
    clean(&stage("healthcheck none"));
    clean(&stage("HEALTHCHECK cmd curl -f http://localhost/"));
    clean(&stage(
        r#"HEALTHCHECK CMD ["curl", "-f", "http://localhost/"]"#,
    ));
}

#[test]
fn healthcheck_flags() {
    error(
        &stage("HEALTHCHECK --bogus=1 CMD true"),
        "unknown flag: --bogus",
        "--bogus=1",
    );
    error(
        &stage("HEALTHCHECK --intervl=5s CMD true"),
        "unknown flag: --intervl (did you mean interval?)",
        "--intervl=5s",
    );
    // Flags are parsed before the type is checked.
    error(
        &stage("HEALTHCHECK --bogus CONNECT x"),
        "unknown flag: --bogus",
        "--bogus",
    );
}

#[test]
fn healthcheck_durations() {
    error(
        &stage("HEALTHCHECK --interval=1us CMD true"),
        "Interval \"interval\" cannot be less than 1ms",
        "--interval=1us",
    );
    error(
        &stage("HEALTHCHECK --timeout=999us CMD true"),
        "Interval \"timeout\" cannot be less than 1ms",
        "--timeout=999us",
    );
    error(
        &stage("HEALTHCHECK --start-period=-5s CMD true"),
        "Interval \"start-period\" cannot be less than 1ms",
        "--start-period=-5s",
    );
    error(
        &stage("HEALTHCHECK --start-interval=abc CMD true"),
        "time: invalid duration \"abc\"",
        "--start-interval=abc",
    );
    error(
        &stage("HEALTHCHECK --interval=5 CMD true"),
        "time: missing unit in duration \"5\"",
        "--interval=5",
    );
    error(
        &stage("HEALTHCHECK --interval=5sec CMD true"),
        "time: unknown unit \"sec\" in duration \"5sec\"",
        "--interval=5sec",
    );
    // The durations are checked in BuildKit's order, after the type.
    error(
        &stage("HEALTHCHECK --timeout=x --interval=y CMD true"),
        "time: invalid duration \"y\"",
        "--interval=y",
    );
    clean(&stage("HEALTHCHECK --interval=0 --timeout=0s CMD true"));
    clean(&stage("HEALTHCHECK --interval=1ms --timeout=1.5s --start-period=1h2m3s --start-interval=500us600us CMD true"));
    // BuildKit copies a flag byte by byte into runes, so `µs` arrives as `Âµs`.
    error(
        &stage("HEALTHCHECK --interval=5µs CMD true"),
        r#"time: unknown unit "\xc3\x82\xc2\xb5s" in duration "5\xc3\x82\xc2\xb5s""#,
        "--interval=5µs",
    );
}

#[test]
fn healthcheck_retries() {
    error(
        &stage("HEALTHCHECK --retries=-1 CMD true"),
        "--retries cannot be negative (-1)",
        "--retries=-1",
    );
    error(
        &stage("HEALTHCHECK --retries=three CMD true"),
        "strconv.ParseInt: parsing \"three\": invalid syntax",
        "--retries=three",
    );
    error(
        &stage("HEALTHCHECK --retries=3000000000 CMD true"),
        "strconv.ParseInt: parsing \"3000000000\": value out of range",
        "--retries=3000000000",
    );
    clean(&stage("HEALTHCHECK --retries=0 CMD true"));
    clean(&stage("HEALTHCHECK --retries=+3 CMD true"));
}

// ---------------------------------------------------------------- RUN

#[test]
fn run_network_and_security() {
    error_with_code(
        &stage("RUN --network=bridge true"),
        "instruction/flag",
        "invalid network mode \"bridge\"",
        "--network=bridge",
    );
    error(
        &stage("RUN --network=HOST true"),
        "invalid network mode \"HOST\"",
        "--network=HOST",
    );
    error(
        &stage("RUN --security=privileged true"),
        "security \"privileged\" is not valid",
        "--security=privileged",
    );
    clean(&stage("RUN --network=host --security=insecure true"));
    clean(&stage("RUN --network=none true"));
    clean(&stage("RUN --network=default --security=sandbox true"));
}

#[test]
fn run_device_needs_labs() {
    error_with_code(
        &stage("RUN --device=vendor.com/gpu=all nvidia-smi"),
        "instruction/flag",
        "device feature is only supported in Dockerfile frontend 1.14.0-labs or later",
        "--device=vendor.com/gpu=all",
    );
    clean("# syntax=docker/dockerfile:1-labs\nFROM alpine\nRUN --device=vendor.com/gpu=all,required nvidia-smi\n");
    clean("# syntax=docker/dockerfile-upstream:master-labs\nFROM alpine\nRUN --device=a --device=name=b true\n");
    // Device values are parsed even in the stable frontend, before the labs check.
    error(
        "# syntax=docker/dockerfile:1-labs\nFROM alpine\nRUN --device=name=a,name=b true\n",
        "device name already set to a",
        "name=b",
    );
    error(
        "# syntax=docker/dockerfile:1-labs\nFROM alpine\nRUN --device=a,nme=b true\n",
        "unexpected key 'nme' in 'nme=b' (did you mean name?)",
        "nme=b",
    );
    error(
        "# syntax=docker/dockerfile:1-labs\nFROM alpine\nRUN --device=a,required=maybe true\n",
        "invalid value for required: maybe",
        "required=maybe",
    );
}

#[test]
fn mount_types() {
    error_with_code(
        &stage("RUN --mount=type=bogus,target=/x true"),
        "instruction/mount",
        "unsupported mount type \"bogus\"",
        "type=bogus",
    );
    error(
        &stage("RUN --mount=type=cahce,target=/x true"),
        "unsupported mount type \"cahce\" (did you mean cache?)",
        "type=cahce",
    );
    error(
        &stage("RUN --mount=type=,target=/x true"),
        "unsupported mount type \"\"",
        "type=",
    );
    clean(&stage("RUN --mount=TYPE=CACHE,TARGET=/x true"));
}

#[test]
fn mount_keys() {
    error(
        &stage("RUN --mount=type=cache,targte=/x true"),
        "unexpected key 'targte' in 'targte=/x' (did you mean target?)",
        "targte=/x",
    );
    error(
        &stage("RUN --mount=type=cache,foo=1 true"),
        "unexpected key 'foo' in 'foo=1' (did you mean from?)",
        "foo=1",
    );
    error(
        &stage("RUN --mount=type=cache,bogus=1 true"),
        "unexpected key 'bogus' in 'bogus=1'",
        "bogus=1",
    );
    error(
        &stage("RUN --mount=type=cache,nocache true"),
        "invalid field 'nocache' must be a key=value pair",
        "nocache",
    );
    error(
        &stage("RUN --mount=target=/x,required true"),
        "unexpected key 'required' for mount type 'bind'",
        "required",
    );
    // The type is whatever was set before the field.
    error(
        &stage("RUN --mount=required,type=secret,id=a true"),
        "unexpected key 'required' for mount type 'bind'",
        "required",
    );
    error(
        &stage("RUN --mount=type=cache,target=/x,required=true true"),
        "unexpected key 'required' for mount type 'cache'",
        "required=true",
    );
    error(
        &stage("RUN --mount=type=cache,target=/x,size=1g true"),
        "unexpected key 'size' for mount type 'cache'",
        "size=1g",
    );
    clean(&stage(
        "RUN --mount=type=secret,id=a,required --mount=type=ssh,required=false true",
    ));
}

#[test]
fn mount_values() {
    error(
        &stage("RUN --mount=type=cache,target=/x,sharing=bogus true"),
        "unsupported sharing value \"bogus\"",
        "sharing=bogus",
    );
    error(
        &stage("RUN --mount=type=cache,target=/x,sharing=share true"),
        "unsupported sharing value \"share\" (did you mean shared?)",
        "sharing=share",
    );
    error(
        &stage("RUN --mount=type=bind,readonly=maybe true"),
        "invalid value for readonly: maybe",
        "readonly=maybe",
    );
    error(
        &stage("RUN --mount=type=bind,rw=2 true"),
        "invalid value for rw: 2",
        "rw=2",
    );
    error(
        &stage("RUN --mount=type=cache,target=/x,mode=999 true"),
        "invalid value 999 for mode",
        "mode=999",
    );
    error(
        &stage("RUN --mount=type=cache,target=/x,uid=abc true"),
        "invalid value abc for uid",
        "uid=abc",
    );
    error(
        &stage("RUN --mount=type=cache,target=/x,gid=-1 true"),
        "invalid value -1 for gid",
        "gid=-1",
    );
    error(
        &stage("RUN --mount=type=tmpfs,target=/t,size=big true"),
        "invalid value for size: big",
        "size=big",
    );
    clean(&stage("RUN --mount=type=tmpfs,target=/t,size=64m true"));
    clean(&stage(
        "RUN --mount=type=cache,target=/x,sharing=LOCKED,mode=0755,uid=1000,gid=1000 true",
    ));
    clean(&stage(
        "RUN --mount=type=bind,ro=false,readwrite=1 --mount=type=bind,rw,target=/y true",
    ));
}

#[test]
fn mount_file_info_and_sharing_rules() {
    error(
        &stage("RUN --mount=type=bind,target=/x,mode=0755 true"),
        "mode not allowed for \"bind\" type mounts",
        "--mount=type=bind,target=/x,mode=0755",
    );
    error(
        &stage("RUN --mount=type=tmpfs,target=/x,uid=1 true"),
        "uid not allowed for \"tmpfs\" type mounts",
        "--mount=type=tmpfs,target=/x,uid=1",
    );
    error(
        &stage("RUN --mount=target=/x,sharing=shared true"),
        "invalid cache sharing set for bind mount",
        "--mount=target=/x,sharing=shared",
    );
}

#[test]
fn secret_mounts() {
    error(
        &stage("RUN --mount=type=secret true"),
        "invalid secret mount. one of source, target required",
        "--mount=type=secret",
    );
    error(
        &stage("RUN --mount=type=secret,id=a,from=build true"),
        "secret mount should not have a from",
        "--mount=type=secret,id=a,from=build",
    );
    error(
        &stage("RUN --mount=type=secret,id=a,sharing=shared true"),
        "secret mount should not define sharing",
        "--mount=type=secret,id=a,sharing=shared",
    );
    error(
        &stage("RUN --mount=type=secret,source=a,id=b true"),
        "both source and id can't be set",
        "--mount=type=secret,source=a,id=b",
    );
    clean(&stage(
        "RUN --mount=type=secret,id=npm,target=/root/.npmrc npm ci",
    ));
    clean(&stage(
        "RUN --mount=type=secret,id=aws,env=AWS_SECRET_ACCESS_KEY aws s3 ls",
    ));
    clean(&stage(
        "RUN --mount=type=secret,target=/run/secrets/token cat /run/secrets/token",
    ));
}

#[test]
fn mount_from_and_targets() {
    error(
        &stage("RUN --mount=from=$STAGE,target=/x true"),
        "'from' doesn't support variable expansion, define alias stage instead",
        "from=$STAGE",
    );
    // A trailing `$` is not a variable.
    clean(&stage("RUN --mount=from=image$,target=/x true"));
    error(
        &stage("RUN --mount=type=bind,target=/ true"),
        "invalid mount target \"/\"",
        "--mount=type=bind,target=/",
    );
    error(
        &stage("RUN --mount=type=ssh,source=x true"),
        "ssh does not support source",
        "--mount=type=ssh,source=x",
    );
    let src = "FROM alpine AS a\nRUN --mount=from=b,target=/b true\nFROM alpine AS b\n";
    error(
        src,
        "cannot mount from stage \"b\" to \"/b\", stage needs to be defined before current command",
        "--mount=from=b,target=/b",
    );
    clean("FROM golang AS build\nRUN go build -o /out/app\nFROM alpine\nRUN --mount=from=build,source=/out,target=/in cp /in/app /usr/bin/\n");
}

#[test]
fn mount_csv() {
    error(
        &stage(r#"RUN --mount=type=bind,src=a\"b true"#),
        "failed to parse csv mounts: parse error on line 1, column 16: bare \" in non-quoted-field",
        r#"--mount=type=bind,src=a\"b"#,
    );
    error(
        &stage("RUN --mount= true"),
        "failed to parse csv mounts: EOF",
        "--mount=",
    );
    clean(&stage(
        r#"RUN --mount=type=bind,\"source=a,b\",target=/x true"#,
    ));
}

#[test]
fn mount_values_with_variables_are_not_judged() {
    clean(&stage(
        "RUN --mount=type=cache,target=$HOME/.cache,id=cache-$TARGETARCH,sharing=$SHARING true",
    ));
    clean(&stage("RUN --mount=type=$TYPE,target=/x,whatever=1 true"));
    clean(&stage("RUN --mount=type=secret,id=$ID true"));
}

#[test]
fn first_mount_error_wins() {
    error(
        &stage("RUN --mount=type=cache,target=/x,sharing=bad --mount=type=bogus true"),
        "unsupported sharing value \"bad\"",
        "sharing=bad",
    );
    // Parse-time errors come before dispatch-time ones.
    error(
        &stage("RUN --mount=type=bogus --mount=from=$X true"),
        "'from' doesn't support variable expansion, define alias stage instead",
        "from=$X",
    );
}

// ---------------------------------------------------------------- COPY / ADD

#[test]
fn chmod_values() {
    error_with_code(
        &stage("COPY --chmod=64a a b"),
        "instruction/flag",
        "invalid chmod parameter: '64a'. it should be octal string and between 0 and 07777",
        "--chmod=64a",
    );
    error(
        &stage("ADD --chmod=10000 a b"),
        "invalid chmod parameter: '10000'. it should be octal string and between 0 and 07777",
        "--chmod=10000",
    );
    error(
        &stage("COPY --chmod=abc a b"),
        "invalid syntax",
        "--chmod=abc",
    );
    clean(&stage("COPY --chmod=755 a b"));
    clean(&stage("COPY --chmod=0644 a b"));
    clean(&stage("COPY --chmod=u+x,go-w a b"));
    clean(&stage("COPY --chmod=$MODE a b"));
}

#[test]
fn copy_sources() {
    error_with_code(
        &stage("COPY https://example.com/app.tar.gz /app/"),
        "instruction/value",
        "source can't be a URL for COPY",
        "https://example.com/app.tar.gz",
    );
    error(
        &stage("COPY local.txt git@github.com:moby/buildkit.git /src"),
        "source can't be a git ref for COPY",
        "git@github.com:moby/buildkit.git",
    );
    error(
        &stage("COPY https://github.com/moby/buildkit.git#v0.26 /src"),
        "source can't be a git ref for COPY",
        "https://github.com/moby/buildkit.git#v0.26",
    );
    clean(&stage("ADD https://example.com/app.tar.gz /app/"));
    clean(&stage("ADD git@github.com:moby/buildkit.git /src"));
    clean(&stage("COPY $URL /app/"));
}

#[test]
fn add_checksum() {
    let digest = format!("sha256:{}", "0".repeat(64));
    clean(&stage(&format!(
        "ADD --checksum={digest} https://example.com/a.tar.gz /a"
    )));
    clean(&stage(
        "ADD --checksum=abc123 https://github.com/moby/buildkit.git#v0.26 /src",
    ));
    error(
        &stage(&format!(
            "ADD --checksum={digest} https://example.com/a https://example.com/b /x/"
        )),
        "checksum can't be specified for multiple sources",
        &format!("--checksum={digest}"),
    );
    error(
        &stage(&format!("ADD --checksum={digest} local.tar /x")),
        "checksum requires HTTP(S) or Git sources",
        &format!("--checksum={digest}"),
    );
    error(
        &stage("ADD --checksum=sha256:abc https://example.com/a /a"),
        "invalid checksum digest length",
        "--checksum=sha256:abc",
    );
    error(
        &stage("ADD --checksum=md5:abc https://example.com/a /a"),
        "unsupported digest algorithm",
        "--checksum=md5:abc",
    );
    error(
        &stage("ADD --checksum=nope https://example.com/a /a"),
        "invalid checksum digest format",
        "--checksum=nope",
    );
    error(
        &stage("COPY --checksum=sha256:x a b"),
        "unknown flag: --checksum",
        "--checksum=sha256:x",
    );
}

#[test]
fn copy_from_variables_and_indexes() {
    error_with_code(
        &stage("COPY --from=$BUILDER /out /out"),
        "instruction/stage",
        "variable expansion is not supported for --from, define a new stage with FROM using ARG from global scope as a workaround",
        "--from=$BUILDER",
    );
    error(
        &stage("COPY --from=ghcr.io/astral-sh/uv:${UV_VERSION} /uv /bin/"),
        "variable expansion is not supported for --from, define a new stage with FROM using ARG from global scope as a workaround",
        "--from=ghcr.io/astral-sh/uv:${UV_VERSION}",
    );
    error(
        &stage("COPY --from=-1 /a /b"),
        "invalid stage index -1",
        "--from=-1",
    );
    error(
        &stage("COPY --from=3 /a /b"),
        "invalid stage index 3",
        "--from=3",
    );
    clean("FROM alpine\nRUN true\nFROM alpine\nCOPY --from=0 /etc/os-release /\n");
    clean(&stage("COPY --from=alpine:3.20 /bin/busybox /bin/"));
    clean(&stage("COPY --from= /a /b"));
}

#[test]
fn copy_from_a_later_stage() {
    let src = "FROM alpine AS app\nCOPY --from=Builder /out /out\nFROM golang AS builder\n";
    error_with_code(
        src,
        "instruction/stage",
        "cannot copy from stage \"Builder\", it needs to be defined before current stage \"app\"",
        "--from=Builder",
    );
    let src = "FROM alpine\nCOPY --from=1 /out /out\nFROM golang\n";
    error(
        src,
        "cannot copy from stage \"1\", it needs to be defined before current stage \"stage-0\"",
        "--from=1",
    );
}

#[test]
fn duplicate_stage_names_resolve_as_buildkit_does() {
    // FROM binds the latest earlier definition: no error here.
    clean("FROM alpine AS x\nRUN true\nFROM debian AS x\nFROM x\nRUN true\n");
    // --from binds the last definition, even when an earlier one exists.
    let src = "FROM alpine AS x\nFROM alpine AS y\nCOPY --from=x /a /b\nFROM debian AS x\n";
    error(
        src,
        "cannot copy from stage \"x\", it needs to be defined before current stage \"y\"",
        "--from=x",
    );
}

#[test]
fn circular_dependencies() {
    let src = "FROM alpine AS a\nCOPY --from=b /x /x\nFROM alpine AS b\nCOPY --from=a /y /y\n";
    error_with_code(
        src,
        "instruction/stage",
        "circular dependency detected on stage: a",
        "--from=b",
    );
    error(
        "FROM alpine AS self\nCOPY --from=self /a /b\n",
        "circular dependency detected on stage: self",
        "--from=self",
    );
    error(
        "FROM alpine AS self\nRUN --mount=from=self,target=/m true\n",
        "circular dependency detected on stage: self",
        "--mount=from=self,target=/m",
    );
    error(
        "FROM alpine\nCOPY --from=0 /a /b\n",
        "circular dependency detected on stage: stage-0",
        "--from=0",
    );
}

// ---------------------------------------------------------------- stages

#[test]
fn instructions_before_the_first_from() {
    error_with_code(
        "RUN echo hi\nFROM alpine\n",
        "instruction/stage",
        "no build stage in current context",
        "RUN",
    );
    let found = diagnostics("ENV A=1\nLABEL b=2\nARG C\nFROM alpine\n");
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].2, "ENV");
    assert_eq!(found[1].2, "LABEL");
    clean("ARG VERSION=3.20\nARG BASE=alpine\nFROM ${BASE}:${VERSION}\n");
}

#[test]
fn no_stages() {
    error_with_code(
        "ARG A=1\nARG B\n",
        "instruction/stage",
        "dockerfile contains no stages to build",
        "ARG",
    );
    clean("# only a comment\n");
}

// ---------------------------------------------------------------- EXPOSE and STOPSIGNAL

#[test]
fn expose_ports() {
    error_with_code(
        &stage("EXPOSE 80/xyz"),
        "instruction/value",
        "invalid proto: xyz",
        "80/xyz",
    );
    error(
        &stage("EXPOSE 80 http"),
        "invalid containerPort: http",
        "http",
    );
    error(
        &stage("EXPOSE 70000"),
        "invalid containerPort: 70000",
        "70000",
    );
    error(
        &stage("EXPOSE 9000-8000"),
        "invalid containerPort: 9000-8000",
        "9000-8000",
    );
    clean(&stage("EXPOSE 80 443/tcp 53/udp 53/UDP 8000-8010 132/sctp"));
    clean(&stage("EXPOSE $PORT ${OTHER}/tcp"));
}

#[test]
fn stop_signals() {
    error_with_code(
        &stage("STOPSIGNAL SIGFOO"),
        "instruction/value",
        "invalid signal: SIGFOO",
        "SIGFOO",
    );
    error(&stage("STOPSIGNAL 0"), "invalid signal: 0", "0");
    error(
        &stage("STOPSIGNAL SIGTERM # graceful"),
        "invalid signal: SIGTERM # graceful",
        "SIGTERM # graceful",
    );
    clean(&stage("STOPSIGNAL SIGTERM"));
    clean(&stage("STOPSIGNAL sigquit"));
    clean(&stage("STOPSIGNAL 9"));
    clean(&stage("STOPSIGNAL SIGRTMIN+3"));
    clean(&stage("STOPSIGNAL $SIGNAL"));
}

// ---------------------------------------------------------------- dispatch-time checks are per stage

#[test]
fn dispatch_checks_cover_every_stage() {
    // Unreachable from the last stage, but BuildKit's lint pass and `--target dev` reach it.
    let src = "FROM alpine AS dev\nCOPY --chmod=9 a b\nFROM alpine\nRUN true\n";
    error(
        src,
        "invalid chmod parameter: '9'. it should be octal string and between 0 and 07777",
        "--chmod=9",
    );
}

#[test]
fn one_error_per_instruction_and_every_instruction_checked() {
    let src = "FROM alpine\nCOPY --bogus a\nRUN --network=x true\nFORM x\nEXPOSE abc\n";
    let found = diagnostics(src);
    let messages: Vec<&str> = found.iter().map(|(_, m, _)| m.as_str()).collect();
    assert_eq!(
        messages,
        [
            "COPY requires at least two arguments, but only one was provided. Destination could not be determined",
            "invalid network mode \"x\"",
            "unknown instruction: FORM (did you mean FROM?)",
            "invalid containerPort: abc",
        ]
    );
}

#[test]
fn escape_directive_changes_what_expands() {
    // With a backtick escape, a backslash in a value is literal.
    clean("# escape=`\nFROM mcr.microsoft.com/windows/servercore\nCOPY --chmod=755 a C:\\app\\\n");
    error(
        "# escape=`\nFROM alpine\nSTOPSIGNAL SIG\\TERM\n",
        "invalid signal: SIG\\TERM",
        "SIG\\TERM",
    );
}

// ---------------------------------------------------------------- valid files

#[test]
fn real_world_shapes_are_clean() {
    clean(
        r#"# syntax=docker/dockerfile:1
ARG GO_VERSION=1.23
ARG ALPINE_VERSION=3.20

FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-alpine AS base
WORKDIR /src
ENV CGO_ENABLED=0
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=bind,source=go.sum,target=go.sum \
    --mount=type=bind,source=go.mod,target=go.mod \
    go mod download -x

FROM base AS build
ARG TARGETOS TARGETARCH
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    --mount=type=bind,target=. \
    GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /bin/server ./cmd/server

FROM base AS test
RUN --mount=type=cache,target=/go/pkg/mod go test ./...

FROM alpine:${ALPINE_VERSION} AS final
RUN --mount=type=cache,target=/var/cache/apk,sharing=locked \
    apk add --update ca-certificates tzdata
ARG UID=10001
RUN adduser --disabled-password --gecos "" --home "/nonexistent" \
    --shell "/sbin/nologin" --no-create-home --uid "${UID}" appuser
USER appuser
COPY --from=build /bin/server /bin/
COPY --from=build --chown=1000:1000 --chmod=755 /bin/server /usr/local/bin/server
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --start-interval=2s --retries=3 \
    CMD wget -qO- http://localhost:8000/healthz || exit 1
STOPSIGNAL SIGTERM
ENTRYPOINT [ "/bin/server" ]
"#,
    );
    clean(
        r#"FROM node:22-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm --mount=type=secret,id=npm,target=/root/.npmrc \
    npm ci --omit=dev

FROM node:22-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --link . .
LABEL org.opencontainers.image.source="https://github.com/example/app" \
      maintainer="me@example.com"
CMD ["node", "server.js"]
"#,
    );
    clean(
        r#"FROM python:3.12-slim
RUN <<EOF
set -eux
apt-get update
apt-get install -y --no-install-recommends curl
rm -rf /var/lib/apt/lists/*
EOF
COPY <<-EOT /etc/app.conf
	key=value
	EOT
COPY --parents --exclude=*.pyc src/./pkg /app/
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://mirrors.edge.kernel.org/pub/linux/kernel/Historic/linux-0.01.tar.gz /
ADD --keep-git-dir=true https://github.com/moby/buildkit.git#v0.10.1 /buildkit
ADD --unpack=false https://example.com/archive.tar.gz /archives/
RUN --mount=type=ssh,required git clone git@github.com:private/repo.git
RUN --mount=type=tmpfs,target=/tmp,size=64m python -c 'print(1)'
ENV LEGACY value with spaces
VOLUME ["/data"]
ONBUILD COPY . /app/src
ONBUILD RUN make -C /app/src
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
MAINTAINER someone@example.com
CMD python -m app
"#,
    );
}

#[test]
fn onbuild_parent_stage_is_clean_when_triggers_are_valid() {
    clean("FROM alpine AS base\nONBUILD COPY . /src\nONBUILD RUN --mount=type=cache,target=/c make\nFROM base\nRUN true\n");
}

// ---------------------------------------------------------------- corpus

/// Every corpus file goes through the instruction layer without panicking, and the errors it
/// reports are exactly the known genuine ones.
#[test]
fn corpus_never_panics_and_reports_only_genuine_errors() {
    let files = corpus::corpus_files();
    let mut found = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let src = String::from_utf8_lossy(&bytes);
        let parsed = parse(&src);
        for d in instructions::check(&parsed.dockerfile) {
            let line = src[..d.span.start].matches('\n').count() + 1;
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            found.push(format!("{name}:{line}: {}", d.message));
        }
    }
    assert_eq!(
        found,
        [
            // Line 42 ends its ENV without a continuation, so line 43 is an instruction.
            "oracle__docker-images__OracleDatabase__GDD__containerfiles__19.3.0__Dockerfile_19c:43: unknown instruction: MAINPY=\"main.py\"",
        ]
    );
}

#[test]
fn hostile_inputs_do_not_panic() {
    let inputs = [
        "FROM a\nRUN --mount=\"\n",
        "FROM a\nRUN --mount=,,,\n",
        "FROM a\nRUN --mount=\"a\"\"b\",\"\n",
        "FROM a\nCOPY --chmod=u a b\n",
        "FROM a\nCOPY --chmod=u+x, a b\n",
        "FROM a\nCOPY --chmod=+ a b\n",
        "FROM a\nHEALTHCHECK --interval=9999999999999999999999h CMD x\n",
        "FROM a\nHEALTHCHECK --interval=.0000000000000000000000001s CMD x\n",
        "FROM a\nHEALTHCHECK --interval=1.9999999999999999999999999999h CMD x\n",
        "FROM a\nEXPOSE ::::\n",
        "FROM a\nEXPOSE [:80:80\n",
        "FROM a\nCOPY --from=99999999999999999999 a b\n",
        "FROM a\nSTOPSIGNAL RTMIN+\n",
        "FROM a\nONBUILD\n",
        "FROM a\nONBUILD ONBUILD\n",
        "FROM a AS \u{130}\n",
        "FROM a\nRUN --device=\n",
        "FROM a\nADD --checksum=: https://x /y\n",
        "FROM é AS x\nFROM x\nCOPY --from=é a b\n",
    ];
    for src in inputs {
        let _ = diagnostics(src);
    }
    // Deep chains of stages do not recurse.
    let mut src = String::new();
    for i in 0..5000 {
        src.push_str(&format!("FROM alpine AS s{i}\n"));
        if i > 0 {
            src.push_str(&format!("COPY --from=s{} /a /a\n", i - 1));
        }
    }
    src.push_str("COPY --from=s0 /a /a\n");
    assert!(diagnostics(&src).is_empty());
    src.push_str("FROM alpine AS s0\n");
    let found = diagnostics(&src);
    assert!(!found.is_empty());
}
