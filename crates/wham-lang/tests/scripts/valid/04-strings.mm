// covers: string literals with every escape (\n \r \t \" \' \\ \0 \xHH \u{H..}), raw UTF-8, str == and !=, len, addr, starts_with, ends_with, contains
var greeting: str = "hello";
var escaped: str = "a\tb\nc\rd \"dq\" \'sq\' back\\slash nul\0 hex\x41\x7e uni\u{1F600}\u{e9}";
var raw: str = "grüße ✓";
var bytes: u32;

wasm:func:entry {
    bytes = escaped.len() + raw.len();
    if (fname == greeting || fname != "") {
        bytes = bytes + fname.addr();
    }
    if (fname.starts_with("test_") || fname.ends_with("_impl")) {
        bytes++;
    }
    if (fname.contains("main")) {
        bytes--;
    }
}
