import Testing
@testable import Crypto

/// Bytes from a hex string written in a test table (spaces allowed); a typo stops the test run.
func hex(_ text: String) -> [UInt8] {
    guard let bytes = Hex.decode(text.filter { !$0.isWhitespace }) else { fatalError("bad hex in test: \(text)") }
    return bytes
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

func repeated(_ byte: UInt8, _ count: Int) -> [UInt8] { [UInt8](repeating: byte, count: count) }

/// 0, 1, 2, … like the SequentialRandomNumberGenerator of ASP.NET Core's PasswordHasherTest, so
/// salts and stamps are predictable.
final class SequentialRandom: RandomSource {
    private var next: UInt8 = 0

    func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in
            defer { next &+= 1 }
            return next
        }
    }
}

/// Tests that map tens of MiB for Argon2, or count its mappings, run one at a time: parallel
/// hashes would blur the memory counters and the RSS measurement, and would crowd the shared
/// build machine.
@Suite(.serialized) enum MemoryHungryTests {}
