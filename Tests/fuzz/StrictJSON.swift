// A strict RFC 8259 JSON validator: the fuzz target's independent oracle. Whatever the server
// accepts must be valid JSON by the letter of the RFC, whichever parser the server uses.
// Recursion is bounded, so deep nesting is refused rather than overflowing the stack.
enum StrictJSON {
    static func isValid<Bytes: Collection>(_ input: Bytes) -> Bool where Bytes.Element == UInt8 {
        var scanner = Scanner(bytes: Array(input))
        scanner.skipWhitespace()
        guard scanner.value(depth: 0) else { return false }
        scanner.skipWhitespace()
        return scanner.atEnd
    }

    private struct Scanner {
        let bytes: [UInt8]
        var at = 0
        static let maximumDepth = 512

        init(bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { at == bytes.count }
        var current: UInt8? { at < bytes.count ? bytes[at] : nil }

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
                skipWhitespace()
                guard take(UInt8(ascii: ":")) else { return false }
                skipWhitespace()
                guard value(depth: depth) else { return false }
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
            var text: [UInt8] = []
            while let b = current {
                at += 1
                switch b {
                case UInt8(ascii: "\""):
                    return String(validating: text, as: UTF8.self) != nil
                case UInt8(ascii: "\\"):
                    guard let e = current else { return false }
                    at += 1
                    if e == UInt8(ascii: "u") {
                        for _ in 0..<4 {
                            guard let h = current, isHexDigit(h) else { return false }
                            at += 1
                        }
                    } else if !Array("\"\\/bfnrt".utf8).contains(e) {
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

        func isHexDigit(_ b: UInt8) -> Bool {
            (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
                || (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "f"))
                || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "F"))
        }
    }
}
