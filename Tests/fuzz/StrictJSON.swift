// A strict RFC 8259 JSON validator: the fuzz target's independent oracle. Whatever the server
// accepts must be valid JSON by the letter of the RFC, whichever parser the server uses. It also
// reports what the top level holds (its kind; for an object, each member's decoded name and
// value), so the target can work out the one right answer for a body without the server's code.
// Recursion is bounded, so deep nesting is refused rather than overflowing the stack.
enum StrictJSON {
    /// The kinds of JSON value (RFC 8259 §3).
    enum Kind: Equatable {
        case object, array, string, number, boolean, null
    }

    /// One member of the top-level object: its name as UTF-16 code units after escapes are
    /// decoded (`"n\u0075m"` is `num`), its value's kind, and a number's literal bytes.
    struct Member {
        var name: [UInt16]
        var kind: Kind
        var literal: [UInt8]
    }

    /// A valid document's top level: its kind, and its members when it is an object.
    struct Document {
        var kind: Kind
        var members: [Member]
        /// Whether some string escapes half of a UTF-16 surrogate pair (`"\ud800"`): the grammar
        /// allows it, and RFC 8259 §8.2 leaves what a parser then does unpredictable.
        var hasUnpairedSurrogate: Bool
    }

    static func isValid<Bytes: Collection>(_ input: Bytes) -> Bool where Bytes.Element == UInt8 {
        document(input) != nil
    }

    /// The top level of `input`, or nil when `input` is not one valid JSON text.
    static func document<Bytes: Collection>(_ input: Bytes) -> Document? where Bytes.Element == UInt8 {
        var scanner = Scanner(bytes: Array(input))
        scanner.skipWhitespace()
        guard let kind = scanner.kind, scanner.value(depth: 0) else { return nil }
        scanner.skipWhitespace()
        guard scanner.atEnd else { return nil }
        return Document(kind: kind, members: scanner.topLevelMembers,
                        hasUnpairedSurrogate: scanner.hasUnpairedSurrogate)
    }

    private struct Scanner {
        let bytes: [UInt8]
        var at = 0
        var topLevelMembers: [Member] = []
        /// The decoded text of the last string scanned, as UTF-16 code units.
        var lastString: [UInt16] = []
        var hasUnpairedSurrogate = false
        static let maximumDepth = 512

        init(bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { at == bytes.count }
        var current: UInt8? { at < bytes.count ? bytes[at] : nil }

        /// The kind of the value that starts at the current byte, judged by that byte alone.
        var kind: Kind? {
            guard let byte = current else { return nil }
            switch byte {
            case UInt8(ascii: "{"): return .object
            case UInt8(ascii: "["): return .array
            case UInt8(ascii: "\""): return .string
            case UInt8(ascii: "t"), UInt8(ascii: "f"): return .boolean
            case UInt8(ascii: "n"): return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
            default: return nil
            }
        }

        mutating func skipWhitespace() {
            while let b = current, b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { at += 1 }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard current == byte else { return false }
            at += 1
            return true
        }

        mutating func literal(_ text: String) -> Bool {
            let word = Array(text.utf8)
            guard bytes.count - at >= word.count, Array(bytes[at..<at + word.count]) == word else {
                return false
            }
            at += word.count
            return true
        }

        mutating func value(depth: Int) -> Bool {
            guard depth < Scanner.maximumDepth, let b = current else { return false }
            switch b {
            case UInt8(ascii: "{"): return object(depth: depth + 1)
            case UInt8(ascii: "["): return array(depth: depth + 1)
            case UInt8(ascii: "\""): return string()
            case UInt8(ascii: "t"): return literal("true")
            case UInt8(ascii: "f"): return literal("false")
            case UInt8(ascii: "n"): return literal("null")
            default: return number()
            }
        }

        mutating func object(depth: Int) -> Bool {
            at += 1
            skipWhitespace()
            if take(UInt8(ascii: "}")) { return true }
            while true {
                skipWhitespace()
                guard string() else { return false }
                let name = lastString
                skipWhitespace()
                guard take(UInt8(ascii: ":")) else { return false }
                skipWhitespace()
                let start = at
                guard let kind, value(depth: depth) else { return false }
                if depth == 1 {
                    let literal = kind == .number ? Array(bytes[start..<at]) : []
                    topLevelMembers.append(Member(name: name, kind: kind, literal: literal))
                }
                skipWhitespace()
                if take(UInt8(ascii: "}")) { return true }
                guard take(UInt8(ascii: ",")) else { return false }
            }
        }

        mutating func array(depth: Int) -> Bool {
            at += 1
            skipWhitespace()
            if take(UInt8(ascii: "]")) { return true }
            while true {
                skipWhitespace()
                guard value(depth: depth) else { return false }
                skipWhitespace()
                if take(UInt8(ascii: "]")) { return true }
                guard take(UInt8(ascii: ",")) else { return false }
            }
        }

        mutating func string() -> Bool {
            guard take(UInt8(ascii: "\"")) else { return false }
            var text: [UInt8] = []  // unescaped bytes since the last escape: must be UTF-8
            var decoded: [UInt16] = []
            func flush() -> Bool {
                guard let run = String(validating: text, as: UTF8.self) else { return false }
                decoded += run.utf16
                text = []
                return true
            }
            while let b = current {
                at += 1
                switch b {
                case UInt8(ascii: "\""):
                    guard flush() else { return false }
                    lastString = decoded
                    if String(validating: decoded, as: UTF16.self) == nil { hasUnpairedSurrogate = true }
                    return true
                case UInt8(ascii: "\\"):
                    guard flush(), let e = current else { return false }
                    at += 1
                    if e == UInt8(ascii: "u") {
                        var unit: UInt16 = 0
                        for _ in 0..<4 {
                            guard let h = current, let nibble = hexValue(h) else { return false }
                            unit = unit << 4 | nibble
                            at += 1
                        }
                        decoded.append(unit)
                    } else if let index = Array("\"\\/bfnrt".utf8).firstIndex(of: e) {
                        decoded.append(Array("\"\\/\u{08}\u{0C}\n\r\t".utf16)[index])
                    } else {
                        return false
                    }
                case 0x00..<0x20:
                    return false
                default:
                    text.append(b)
                }
            }
            return false
        }

        mutating func number() -> Bool {
            _ = take(UInt8(ascii: "-"))
            if take(UInt8(ascii: "0")) {
                // no leading zeros
            } else {
                guard digits() else { return false }
            }
            if take(UInt8(ascii: ".")) { guard digits() else { return false } }
            if take(UInt8(ascii: "e")) || take(UInt8(ascii: "E")) {
                if !take(UInt8(ascii: "+")) { _ = take(UInt8(ascii: "-")) }
                guard digits() else { return false }
            }
            return true
        }

        mutating func digits() -> Bool {
            let start = at
            while let b = current, b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") { at += 1 }
            return at > start
        }

        func hexValue(_ b: UInt8) -> UInt16? {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt16(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt16(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt16(b - UInt8(ascii: "A") + 10)
            default: return nil
            }
        }
    }
}
