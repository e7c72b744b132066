// swift-tools-version:6.0
//
// Countersign: a FastCGI worker pool for account registration, email confirmation, sign-in and
// phone-number verification by SMS code. No Swift package dependencies: every C library comes from
// Debian and is linked through a `systemLibrary` target (plus one C++ shim for libphonenumber).
import PackageDescription

/// A Debian C library seen from Swift: `Sources/NAME/module.modulemap` + `shim.h`.
func systemLibrary(_ name: String, pkgConfig: String? = nil, apt: [String]) -> Target {
    .systemLibrary(name: name, path: "Sources/\(name)", pkgConfig: pkgConfig, providers: [.apt(apt)])
}

let package = Package(
    name: "Countersign",
    products: [
        .executable(name: "countersign", targets: ["countersign"]),
    ],
    targets: [
        // C at the edge: one module per Debian library.
        systemLibrary("CFastCGI", pkgConfig: "fcgi", apt: ["libfcgi-dev"]),
        systemLibrary("CSQLite", pkgConfig: "sqlite3", apt: ["libsqlite3-dev"]),
        systemLibrary("CPostgres", pkgConfig: "libpq", apt: ["libpq-dev"]),
        systemLibrary("COpenSSL", pkgConfig: "libcrypto", apt: ["libssl-dev"]),
        systemLibrary("CArgon2", pkgConfig: "libargon2", apt: ["libargon2-dev"]),
        systemLibrary("CPwQuality", pkgConfig: "pwquality", apt: ["libpwquality-dev", "cracklib-runtime"]),
        systemLibrary("CCurl", pkgConfig: "libcurl", apt: ["libcurl4-openssl-dev"]),
        .target(
            name: "CPhoneNumber",
            path: "Sources/CPhoneNumber",
            linkerSettings: [.linkedLibrary("phonenumber"), .linkedLibrary("stdc++")]
        ),

        // Swift layers, bottom to top.
        .target(name: "Timekeeping", path: "Sources/Timekeeping"),
        .target(name: "Config", path: "Sources/Config"),
        .target(name: "JSON", path: "Sources/JSON"),
        .target(name: "Spawning", path: "Sources/Spawning"),
        .target(name: "Crypto", dependencies: ["COpenSSL", "CArgon2", "CPwQuality", "Timekeeping"], path: "Sources/Crypto"),
        // Storage: the engine-neutral protocols; one module per engine, each owning its C
        // library, its SQL and its migrations.
        .target(name: "Storage", dependencies: ["Crypto", "Timekeeping"], path: "Sources/Storage"),
        .target(name: "SQLiteStorage", dependencies: ["CSQLite", "Storage", "Crypto", "Timekeeping"], path: "Sources/SQLiteStorage"),
        .target(name: "PostgresStorage", dependencies: ["CPostgres", "Storage", "Crypto", "Timekeeping"], path: "Sources/PostgresStorage"),
        .target(name: "Messaging", dependencies: ["CCurl", "Config", "JSON", "Spawning", "Timekeeping"], path: "Sources/Messaging"),
        .target(name: "Phone", dependencies: ["CPhoneNumber", "Config", "Crypto", "Storage", "Messaging", "Web"], path: "Sources/Phone"),
        .target(name: "Web", dependencies: ["Crypto", "JSON", "Timekeeping"], path: "Sources/Web"),
        .target(name: "Transport", dependencies: ["CFastCGI", "Spawning", "Web"], path: "Sources/Transport"),
        .target(
            name: "Countersign",
            dependencies: ["Config", "Crypto", "Storage", "SQLiteStorage", "PostgresStorage", "Messaging", "Phone", "Web", "Transport"],
            path: "Sources/Countersign"
        ),
        .executableTarget(name: "countersign", dependencies: ["Countersign"], path: "Sources/countersign"),

        // A local HTTP server that records requests, shared by the provider tests.
        // Test helpers: a local HTTP server, threads started together, and a fresh database of
        // the engine under test (COUNTERSIGN_TEST_STORAGE), so one storage suite runs on both.
        .target(name: "TestSupport", dependencies: ["Storage", "SQLiteStorage", "PostgresStorage", "Crypto", "Timekeeping"], path: "Tests/TestSupport"),
        .testTarget(name: "ConfigTests", dependencies: ["Config"], path: "Tests/ConfigTests"),
        .testTarget(name: "CryptoTests", dependencies: ["Crypto"], path: "Tests/CryptoTests"),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "SQLiteStorage", "PostgresStorage", "TestSupport"], path: "Tests/StorageTests"),
        .testTarget(name: "MessagingTests", dependencies: ["Messaging", "Config", "Timekeeping", "TestSupport"], path: "Tests/MessagingTests"),
        .testTarget(name: "PhoneTests", dependencies: ["Phone", "SQLiteStorage", "TestSupport"], path: "Tests/PhoneTests"),
        .testTarget(name: "WebTests", dependencies: ["Web", "Crypto", "Timekeeping"], path: "Tests/WebTests"),
        .testTarget(name: "TransportTests", dependencies: ["Transport", "Web"], path: "Tests/TransportTests"),
        .testTarget(name: "CountersignTests", dependencies: ["Countersign", "Config", "Storage", "SQLiteStorage", "Web", "Timekeeping", "Crypto"], path: "Tests/CountersignTests"),
    ],
    cxxLanguageStandard: .cxx17
)
