// Command assemble writes the chart archive of every pinned add-on into
// test/helmcharts/archives, the way ../shared/charts/README.md says the
// archives there were made: the chart's files from its source repository at
// the tag of the pinned version, subcharts included, packaged with Helm's
// own code (here its Go SDK, v4.3.2). No chart registry is reachable from
// the machines this project is built on, so the published artifacts cannot
// be downloaded; archives whose pin did not move are taken from
// ../shared/charts, checked against the sha256 recorded there.
//
//	go run ./test/helmcharts/assemble -mirror /work/.mirror
//
// -mirror is a folder of bare git repositories named <owner>+<name>/repo
// (what the project's source-reading tools fetch into); cert-manager's
// chart is read from the Go module proxy's copy of its tag.
package main

import (
	"flag"
	"fmt"
	"log"
)

func main() {
	mirror := flag.String("mirror", "/work/.mirror", "folder of bare git repositories, <owner>+<name>/repo")
	shared := flag.String("shared", "../shared/charts", "archives of the charts whose pin did not move")
	out := flag.String("o", "test/helmcharts/archives", "where the archives go")
	flag.Parse()
	for _, s := range sources {
		path, err := s.assemble(*mirror, *shared, *out)
		if err != nil {
			log.Fatalf("%s %s: %v", s.name, s.version, err)
		}
		fmt.Println(path)
	}
}
