package build_test

import (
	"fmt"

	"github.com/release-preflight/release-preflight/pipeline/build"
)

// The plan names every file a build writes before anything is built or git is read.
func ExampleOptions_Plan() {
	plan, err := build.Options{
		Version:   "v1.2.3",
		Platforms: "linux/arm64,windows/amd64",
		Remote:    &build.Remote{GoMod: []byte("module example.com/hello\n")},
	}.Plan()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, job := range plan.Jobs {
		fmt.Println(job.Target, job.OutPath, job.ArchiveName)
	}
	fmt.Println(plan.Files())
	// Output:
	// linux/arm64 linux_arm64/hello hello_1.2.3_linux_arm64.tar.gz
	// windows/amd64 windows_amd64/hello.exe hello_1.2.3_windows_amd64.zip
	// [hello_1.2.3_linux_arm64.tar.gz hello_1.2.3_windows_amd64.zip SHA256SUMS]
}

// A stamp comes from the tag, the commit and SOURCE_DATE_EPOCH, never from the clock.
func ExampleNewStamp() {
	stamp, err := build.NewStamp("v1.2.3", "0123456789abcdef0123456789abcdef01234567", "1700000000", "")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(stamp.LDFlags())
	_, err = build.NewStamp("v1.2.3", "", "", "")
	fmt.Println(err)
	// Output:
	// -s -w -X main.version=1.2.3 -X main.commit=0123456789abcdef0123456789abcdef01234567 -X main.date=2023-11-14T22:13:20Z
	// check the build input: no build time for v1.2.3: the source has no git metadata here: Pass the build time as Unix seconds, such as the output of `git log -1 --format=%ct` run in a checkout, and the commit; the build never uses the clock
}
