module jogg.local

go 1.19
