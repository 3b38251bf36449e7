# syntax=docker/dockerfile:1

# The function's runtime image, in the function-template-go shape: a static
# binary on distroless, run as nonroot, serving gRPC on 9443. Where there is
# no Docker engine, `go run ./test/image` assembles the same image.

# The Go version go.mod names (test/image checks the two agree).
ARG GO_VERSION=1.26.8

FROM --platform=${BUILDPLATFORM} golang:${GO_VERSION} AS build
WORKDIR /fn
ENV CGO_ENABLED=0

# Download modules in their own layer so source changes reuse the cache.
RUN --mount=target=. \
    --mount=type=cache,target=/go/pkg/mod \
    go mod download

ARG TARGETOS
ARG TARGETARCH
RUN --mount=target=. \
    --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    GOOS=${TARGETOS} GOARCH=${TARGETARCH} go build -trimpath -ldflags="-s -w" -o /function .

FROM gcr.io/distroless/static-debian13:nonroot AS image
LABEL org.opencontainers.image.source="https://github.com/platformcluster/function-platform-cluster" \
      org.opencontainers.image.title="function-platform-cluster" \
      org.opencontainers.image.licenses="Apache-2.0"
WORKDIR /
COPY --from=build /function /function
EXPOSE 9443
USER nonroot:nonroot
ENTRYPOINT ["/function"]
