// The example test of the README's jogg-mock section, a module of its own as a user's would
// be, requiring this repository's package through a replace.
module example.com/mocktest

go 1.19

require github.com/jogg-rs/jogg/go v0.0.0

replace github.com/jogg-rs/jogg/go => ../..
