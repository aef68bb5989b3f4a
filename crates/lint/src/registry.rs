//! Every rule, registered in one place.

use crate::rules;
use crate::{Rule, RuleMeta};

static RULES: &[&dyn Rule] = &[
    &rules::consistent_instruction_casing::ConsistentInstructionCasing,
    &rules::copy_ignored_file::CopyIgnoredFile,
    &rules::dl1001::Dl1001,
    &rules::dl3000::Dl3000,
    &rules::dl3001::Dl3001,
    &rules::dl3002::Dl3002,
    &rules::dl3003::Dl3003,
    &rules::dl3004::Dl3004,
    &rules::dl3006::Dl3006,
    &rules::dl3007::Dl3007,
    &rules::dl3008::Dl3008,
    &rules::dl3009::Dl3009,
    &rules::dl3010::Dl3010,
    &rules::dl3011::Dl3011,
    &rules::dl3012::Dl3012,
    &rules::dl3013::Dl3013,
    &rules::dl3014::Dl3014,
    &rules::dl3015::Dl3015,
    &rules::dl3016::Dl3016,
    &rules::dl3018::Dl3018,
    &rules::dl3019::Dl3019,
    &rules::dl3020::Dl3020,
    &rules::dl3021::Dl3021,
    &rules::dl3022::Dl3022,
    &rules::dl3023::Dl3023,
    &rules::dl3024::Dl3024,
    &rules::dl3025::Dl3025,
    &rules::dl3026::Dl3026,
    &rules::dl3027::Dl3027,
    &rules::dl3028::Dl3028,
    &rules::dl3029::Dl3029,
    &rules::dl3030::Dl3030,
    &rules::dl3032::Dl3032,
    &rules::dl3033::Dl3033,
    &rules::dl3034::Dl3034,
    &rules::dl3035::Dl3035,
    &rules::dl3036::Dl3036,
    &rules::dl3037::Dl3037,
    &rules::dl3038::Dl3038,
    &rules::dl3040::Dl3040,
    &rules::dl3041::Dl3041,
    &rules::dl3042::Dl3042,
    &rules::dl3043::Dl3043,
    &rules::dl3044::Dl3044,
    &rules::dl3045::Dl3045,
    &rules::dl3046::Dl3046,
    &rules::dl3047::Dl3047,
    &rules::dl3048::Dl3048,
    &rules::dl3049::Dl3049,
    &rules::dl3050::Dl3050,
    &rules::dl3051::Dl3051,
    &rules::dl3052::Dl3052,
    &rules::dl3053::Dl3053,
    &rules::dl3054::Dl3054,
    &rules::dl3055::Dl3055,
    &rules::dl3056::Dl3056,
    &rules::dl3057::Dl3057,
    &rules::dl3058::Dl3058,
    &rules::dl3059::Dl3059,
    &rules::dl3060::Dl3060,
    &rules::dl3061::Dl3061,
    &rules::dl3062::Dl3062,
    &rules::dl3063::Dl3063,
    &rules::dl3064::Dl3064,
    &rules::dl3065::Dl3065,
    &rules::dl3066::Dl3066,
    &rules::dl3067::Dl3067,
    &rules::dl4000::Dl4000,
    &rules::dl4001::Dl4001,
    &rules::dl4003::Dl4003,
    &rules::dl4004::Dl4004,
    &rules::dl4005::Dl4005,
    &rules::dl4006::Dl4006,
    &rules::expose_invalid_format::ExposeInvalidFormat,
    &rules::expose_proto_casing::ExposeProtoCasing,
    &rules::from_as_casing::FromAsCasing,
    &rules::from_platform_flag_const_disallowed::FromPlatformFlagConstDisallowed,
    &rules::invalid_base_image_platform::InvalidBaseImagePlatform,
    &rules::invalid_default_arg_in_from::InvalidDefaultArgInFrom,
    &rules::invalid_definition_description::InvalidDefinitionDescription,
    &rules::json_args_recommended::JsonArgsRecommended,
    &rules::legacy_key_value_format::LegacyKeyValueFormat,
    &rules::ll1001::Ll1001,
    &rules::ll1002::Ll1002,
    &rules::ll1003::Ll1003,
    &rules::ll1004::Ll1004,
    &rules::ll1005::Ll1005,
    &rules::ll1006::Ll1006,
    &rules::ll1007::Ll1007,
    &rules::no_empty_continuation::NoEmptyContinuation,
    &rules::sc1001::Sc1001,
    &rules::sc2002::Sc2002,
    &rules::sc2015::Sc2015,
    &rules::sc2035::Sc2035,
    &rules::sc2046::Sc2046,
    &rules::sc2086::Sc2086,
    &rules::sc2155::Sc2155,
    &rules::sc2164::Sc2164,
    &rules::sc3009::Sc3009,
    &rules::sc3010::Sc3010,
    &rules::sc3040::Sc3040,
    &rules::secrets_used_in_arg_or_env::SecretsUsedInArgOrEnv,
    &rules::stage_name_casing::StageNameCasing,
    &rules::undefined_arg_in_from::UndefinedArgInFrom,
    &rules::undefined_var::UndefinedVar,
    &rules::workdir_relative_path::WorkdirRelativePath,
];

include!(concat!(env!("OUT_DIR"), "/rule_docs.rs"));

/// The rule's documentation (What, Why, Bad, Good, Fix) as Markdown, from its source file.
pub fn docs(code: &str) -> Option<&'static str> {
    RULE_DOCS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, doc)| *doc)
}

/// All rules, in registration order.
pub fn rules() -> &'static [&'static dyn Rule] {
    RULES
}

/// The rule that reports `code`.
pub fn meta_of(code: &str) -> Option<&'static RuleMeta> {
    RULES.iter().map(|r| r.meta()).find(|m| m.code == code)
}

/// Whether the rule reporting `code` is one of BuildKit's build checks (by code or alias).
pub fn is_buildkit_check(code: &str) -> bool {
    meta_of(code).is_some_and(|m| {
        std::iter::once(m.code)
            .chain(m.aliases.iter().copied())
            .any(is_buildkit_name)
    })
}

/// BuildKit's experimental checks in its Dockerfile frontend 1.26 (`Experimental: true` in
/// `linter/ruleset.go`): off unless `# check=experimental=<name>|all` (or layerlab's options)
/// turns them on, and never skipped by `check=skip`.
const EXPERIMENTAL: &[&str] = &["InvalidDefinitionDescription"];

/// Whether `code` is one of BuildKit's experimental checks.
pub fn is_experimental(code: &str) -> bool {
    EXPERIMENTAL.contains(&code)
}

/// BuildKit names its checks in CamelCase; hadolint, ShellCheck and layerlab use codes.
fn is_buildkit_name(name: &str) -> bool {
    !["DL", "SC", "LL"].iter().any(|prefix| {
        name.strip_prefix(prefix)
            .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
    })
}
