/// How deeply a body nests arrays and objects, counted outside strings.
///
/// Foundation's `JSONDecoder` refuses documents nested more than 512 levels deep, but building
/// that error for a body that ends right after its 513th bracket reads past the end of the
/// buffer and crashes the process (swift-foundation with Swift 6.3, found by the fuzz target).
/// So such bodies are refused here, before Foundation sees them; 512 levels still reach it.
///
/// Not a JSON parser: it only has to agree with one on where strings are.
enum NestingDepth {
    /// Foundation's own limit (RFC 8259 §9 lets a parser set one).
    static let maximum = 512

    static func exceedsMaximum(_ json: [UInt8]) -> Bool {
        var depth = 0
        var inString = false
        var escaped = false
        for byte in json {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > maximum { return true }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth -= 1
            default:
                break
            }
        }
        return false
    }
}
