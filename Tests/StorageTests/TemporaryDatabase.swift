import Crypto
import Foundation
import SQLiteStorage
import Storage
import TestSupport
import Timekeeping

/// A fresh database of the engine under test (`TestDatabase` in TestSupport).
typealias TemporaryDatabase = TestDatabase

/// The test epoch: 2026-11-26 12:00:00 UTC, a whole number of seconds so REAL round trips
/// are exact.
let epoch = Date(timeIntervalSince1970: 1_795_694_400)

func makeUser(id: String = "3f2504e0-4f89-41d3-9a0c-0305e82c3301", email: String = "ada@example.com") -> UserRecord {
    UserRecord(
        id: id,
        userName: email,
        normalizedUserName: email.uppercased(),
        email: email,
        normalizedEmail: email.uppercased(),
        passwordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
        securityStamp: "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
        concurrencyStamp: "9a1f0e3c-5b7d-4c2e-8f6a-0b1c2d3e4f50",
        firstName: "Ada"
    )
}

/// Bytes that are all `value`, for predictable GUIDs.
final class RepeatingRandom: RandomSource {
    let value: UInt8
    init(_ value: UInt8) { self.value = value }
    func bytes(_ count: Int) -> [UInt8] { [UInt8](repeating: value, count: count) }
}
