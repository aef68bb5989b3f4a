//! TEMPORARY stand-in until the real lexer lands (being written concurrently).
#![allow(dead_code, unused_variables)]
pub trait Env { fn get(&self, name: &str) -> Option<&str>; }
impl Env for [(String, String)] { fn get(&self, name: &str) -> Option<&str> { self.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str()) } }
pub struct NoEnv;
impl Env for NoEnv { fn get(&self, _: &str) -> Option<&str> { None } }
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellError { pub message: String, pub offset: usize }
#[derive(Clone, Debug)]
pub struct Lex { pub escape: char, pub raw_quotes: bool, pub raw_escapes: bool, pub skip_unset_env: bool, pub skip_process_quotes: bool }
impl Lex {
    pub fn new(escape: char) -> Lex { Lex { escape, raw_quotes: false, raw_escapes: false, skip_unset_env: false, skip_process_quotes: false } }
    pub fn process_word(&self, word: &str, env: &dyn Env) -> Result<String, ShellError> { Ok(word.to_owned()) }
    pub fn process_words(&self, word: &str, env: &dyn Env) -> Result<Vec<String>, ShellError> { Ok(word.split_whitespace().map(str::to_owned).collect()) }
}
impl Env for std::collections::BTreeMap<String, String> { fn get(&self, name: &str) -> Option<&str> { std::collections::BTreeMap::get(self, name).map(String::as_str) } }
