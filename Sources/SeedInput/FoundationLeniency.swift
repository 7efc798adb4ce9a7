/// What Foundation's `JSONDecoder` accepts that RFC 8259 does not: a trailing comma
/// (`{"num": 5,}`), an unknown escape (`"\["`), a raw control character inside a string, a number
/// without digits (`-E+18`) in a field we otherwise ignore, a control character outside strings
/// (`2` then a NUL byte), and bytes that are not UTF-8. A body with any of them is not JSON, so
/// it is refused like any other.
///
/// Runs only on documents `JSONDecoder` already accepted, so it checks just these gaps and is not
/// a JSON parser.
enum FoundationLeniency {
    static func isPresent(in json: [UInt8]) -> Bool {
        guard String(validating: json, as: UTF8.self) != nil else { return true }
        var previousSignificant: UInt8 = 0
        var index = 0
        while index < json.count {
            let byte = json[index]
            switch byte {
            case UInt8(ascii: "\""):
                guard let end = endOfStrictString(startingAt: index, in: json) else { return true }
                index = end
                previousSignificant = UInt8(ascii: "\"")
                continue
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if previousSignificant == UInt8(ascii: ",") { return true }
            case 0x00..<0x20 where !isWhitespace(byte):
                return true
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let end = json[index...].firstIndex(where: { !JSONIntegerLiteral.isNumberCharacter($0) }) ?? json.count
                guard JSONIntegerLiteral.isWellFormed(json[index..<end]) else { return true }
                index = end
                previousSignificant = UInt8(ascii: "0")
                continue
            default:
                break
            }
            if !isWhitespace(byte) { previousSignificant = byte }
            index += 1
        }
        return false
    }

    /// The index past the closing quote, or nil if the string breaks RFC 8259 §7.
    private static func endOfStrictString(startingAt start: Int, in json: [UInt8]) -> Int? {
        var index = start + 1
        while index < json.count {
            switch json[index] {
            case UInt8(ascii: "\""):
                return index + 1
            case UInt8(ascii: "\\"):
                guard index + 1 < json.count else { return nil }
                switch json[index + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                    UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 2
                case UInt8(ascii: "u"):
                    guard index + 5 < json.count, json[(index + 2)...(index + 5)].allSatisfy(isHexDigit) else { return nil }
                    index += 6
                default:
                    return nil
                }
            case 0x00..<0x20:
                return nil
            default:
                index += 1
            }
        }
        return nil
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }
}
