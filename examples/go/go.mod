module dagger/examples

go 1.26
