package build_test

import (
	"fmt"
	"time"

	"github.com/release-preflight/release-preflight/pipeline/build"
)

func ExampleNewPlan() {
	targets, err := build.ParsePlatforms("linux/arm64,windows/amd64")
	if err != nil {
		fmt.Println(err)
		return
	}
	stamp, err := build.NewStamp("v1.2.3", "1700000000", "") // tag, SOURCE_DATE_EPOCH, no git
	if err != nil {
		fmt.Println(err)
		return
	}
	plan, err := build.NewPlan(build.Config{
		Targets: targets,
		Stamp:   stamp,
		GoMod:   []byte("module example.com/hello\n"),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(plan.LDFlags)
	fmt.Println(stamp.Date.Format(time.DateOnly))
	for _, job := range plan.Jobs {
		fmt.Println(job.Target, job.OutPath, job.ArchiveName)
	}
	// Output:
	// -s -w -X main.version=1.2.3 -X main.commit=none -X main.date=2023-11-14T22:13:20Z
	// 2023-11-14
	// linux/arm64 linux_arm64/hello hello_1.2.3_linux_arm64.tar.gz
	// windows/amd64 windows_amd64/hello.exe hello_1.2.3_windows_amd64.zip
}
