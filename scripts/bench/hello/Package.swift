// swift-tools-version:6.0
// The FastCGI floor for `make bench`: a bare libfcgi worker that answers "Hello" to every path,
// modelled on ../shared/bench/anchor-swift-hello. Not part of the product: built on its own into
// scripts/bench/hello/.build (git-ignored) by scripts/bench/bench.py.
import PackageDescription

let package = Package(
    name: "BenchHello",
    targets: [
        .systemLibrary(name: "CFCGI", path: "Sources/CFCGI", pkgConfig: "fcgi", providers: [.apt(["libfcgi-dev"])]),
        .executableTarget(name: "bench-hello", dependencies: ["CFCGI"], path: "Sources/Hello"),
    ]
)
