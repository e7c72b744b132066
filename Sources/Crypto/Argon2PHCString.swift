/// An Argon2 hash in the PHC string format written by the reference implementation and PHP:
/// `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`, salt and hash in standard Base64 without
/// padding. A missing `v=` means version 1.0 (0x10), as in the reference decoder.
struct Argon2PHCString: Equatable {
    var parameters: Argon2.Parameters
    var salt: [UInt8]
    var hash: [UInt8]

    /// Limits for reading: Argon2's own minimums, and at most 4 GiB of memory so a damaged stored
    /// value cannot make a worker map more than a machine could have.
    static let minimumSaltLength = 8
    static let minimumHashLength = 4
    static let maximumMemoryKiB: UInt32 = 4 * 1024 * 1024

    init(parameters: Argon2.Parameters, salt: [UInt8], hash: [UInt8]) {
        self.parameters = parameters
        self.salt = salt
        self.hash = hash
    }

    /// nil unless `text` is exactly in the format above, with `m`, `t`, `p` in that order.
    init?(parsing text: String) {
        var fields = text.split(separator: "$", omittingEmptySubsequences: false)
        guard fields.count == 5 || fields.count == 6, fields[0].isEmpty,
              let variant = Argon2.Variant(rawValue: String(fields[1])) else { return nil }
        var version = Argon2.legacyVersion
        if fields.count == 6 {
            guard fields[2].hasPrefix("v="), let v = Self.number(fields[2].dropFirst(2)),
                  v == Argon2.legacyVersion || v == Argon2.currentVersion else { return nil }
            version = v
            fields.remove(at: 2)
        }
        let costs = fields[2].split(separator: ",", omittingEmptySubsequences: false)
        guard costs.count == 3, costs[0].hasPrefix("m="), costs[1].hasPrefix("t="), costs[2].hasPrefix("p="),
              let memory = Self.number(costs[0].dropFirst(2)), let iterations = Self.number(costs[1].dropFirst(2)),
              let parallelism = Self.number(costs[2].dropFirst(2)),
              memory <= Self.maximumMemoryKiB, iterations >= 1, parallelism >= 1, memory >= 8 * UInt64(parallelism),
              let salt = UnpaddedBase64.decode(String(fields[3]), alphabet: .standard),
              let hash = UnpaddedBase64.decode(String(fields[4]), alphabet: .standard),
              salt.count >= Self.minimumSaltLength, hash.count >= Self.minimumHashLength else { return nil }
        self.parameters = Argon2.Parameters(variant: variant, version: version, memoryKiB: memory,
                                            iterations: iterations, parallelism: parallelism)
        self.salt = salt
        self.hash = hash
    }

    var encoded: String {
        "$\(parameters.variant.rawValue)$v=\(parameters.version)"
            + "$m=\(parameters.memoryKiB),t=\(parameters.iterations),p=\(parameters.parallelism)"
            + "$\(UnpaddedBase64.encode(salt, alphabet: .standard))$\(UnpaddedBase64.encode(hash, alphabet: .standard))"
    }

    /// A decimal `UInt32` without sign or leading zeros, as the reference decoder demands.
    private static func number(_ text: Substring) -> UInt32? {
        guard let first = text.utf8.first, text.utf8.allSatisfy({ (48...57).contains($0) }),
              first != UInt8(ascii: "0") || text.utf8.count == 1 else { return nil }
        return UInt32(text)
    }
}
