// Package input holds the function's Input type (v1beta1) and generates
// its CRD.
package input

// Remove existing and generate new input manifests. controller-gen is a
// tool of this module (go.mod's tool directive), at the version go.mod pins.
//go:generate rm -rf ../package/function/input/
//go:generate go tool controller-gen paths=./v1beta1 object crd:crdVersions=v1 output:artifacts:config=../package/function/input
