import FoundationEssentials

/// RFC 2047 encoded words (`=?UTF-8?B?...?=`) for non-ASCII text in headers (Subject, display names).
///
/// Text is cut on character boundaries into words of at most 39 UTF-8 bytes (52 base64 characters,
/// 64 with the wrapper), so each word fits a folded header line well within 78 characters and no
/// word splits a character, as §5 requires.
enum EncodedWord {
    static func encode(_ text: String, maxBytesPerWord: Int = 39) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if !chunk.isEmpty && chunk.count + bytes.count > maxBytesPerWord {
                words.append(word(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append(word(chunk)) }
        return words
    }

    private static func word(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?\(Data(bytes).base64EncodedString())?="
    }
}
