package score

import (
	"strings"
)

// image is the image container name runs. Precedence, highest first:
//
//  1. the deployer's image for that container (Deploy.Containers), which
//     replaces the Score file's image, "." or named;
//  2. the deployer's image for the workload (Deploy.Image), which fills
//     only ".", as score-k8s' --image;
//  3. the Score file's image.
//
// "." left over is Fatal, naming the deploy-time field to set.
func (b *podBuilder) image(name string, scoreImage string) string {
	field := "containers." + name + ".image"
	dep := b.w.p.deploy
	img, given := dep.Containers[name]
	switch {
	case given:
		b.checkDeployImage(dep.Field+".containers."+name+".image", img)
		return img
	case scoreImage == "." && dep.Image != "":
		b.checkDeployImage(dep.Field+".image", dep.Image)
		return dep.Image
	case scoreImage == "." && dep.Field != "":
		b.w.d.fatal(field, `"." leaves the image to deploy time; set %s.image (the image of every "." container) or %s.containers.%s.image`, dep.Field, dep.Field, name)
	case scoreImage == ".":
		b.w.d.fatal(field, `"." asks the Score tool to build the image locally, which a cluster cannot do; set the reference of a pushed image`)
	case strings.TrimSpace(scoreImage) != scoreImage:
		b.w.d.fatal(field, "%q has leading or trailing white space", scoreImage)
	}
	return scoreImage
}

// checkDeployImage reports an image given at deploy time that no runtime
// could pull.
func (b *podBuilder) checkDeployImage(field, img string) {
	switch {
	case img == "" || img == ".":
		b.w.d.fatal("", `%s: must be the reference of a pushed image, got %q`, field, img)
	case strings.TrimSpace(img) != img || strings.ContainsAny(img, " \t\n"):
		b.w.d.fatal("", "%s: %q contains white space", field, img)
	}
}

// checkDeployContainers reports deploy-time images for containers the
// Score file does not have: a typo there would otherwise leave the image
// it meant to set unchanged, silently.
func (w *workloadCtx) checkDeployContainers() {
	for _, name := range sortedKeys(w.p.deploy.Containers) {
		if _, ok := w.p.spec.Containers[name]; !ok {
			w.d.fatal("", "%s.containers.%s: names no container of the Score spec; its containers are: %s",
				w.p.deploy.Field, name, strings.Join(sortedKeys(w.p.spec.Containers), ", "))
		}
	}
}
