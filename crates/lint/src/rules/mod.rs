//! One rule per file. Each file's doc comment says what the rule checks, why, a bad and a good
//! example, and the fix; the examples are also the rule's `bad`/`good` test cases.

pub mod dl3000;
pub mod dl3006;
pub mod dl3007;
pub mod dl3025;
pub mod dl4000;
pub mod legacy_key_value_format;
pub mod no_empty_continuation;
pub mod stage_name_casing;
