module github.com/jogg-rs/jogg/go

go 1.19
