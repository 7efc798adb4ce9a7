#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Finds the raw text of a top-level member's value, in a document Foundation has already parsed.
///
/// Foundation gives no access to a number's literal, and converting it loses digits, so the
/// exact seed is read from the bytes. This is not a JSON parser: it runs only on documents
/// `JSONDecoder` accepted, and only tracks strings and nesting to know where the top level is.
enum TopLevelMember {
    enum Lookup: Equatable {
        case absent
        case once(ArraySlice<UInt8>)
        case repeated
    }

    static func value(named name: String, in json: ArraySlice<UInt8>) -> Lookup {
        var lookup = Lookup.absent
        var depth = 0
        var expectingKey = false
        var keyMatched = false
        var index = json.startIndex
        while index < json.endIndex {
            let byte = json[index]
            switch byte {
            case UInt8(ascii: "\""):
                let end = endOfString(startingAt: index, in: json)
                if depth == 1 && expectingKey {
                    keyMatched = key(json[index..<end], equals: name)
                    expectingKey = false
                }
                index = end
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                expectingKey = depth == 1 && byte == UInt8(ascii: "{")
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
            case UInt8(ascii: ","):
                expectingKey = depth == 1
            case UInt8(ascii: ":") where depth == 1 && keyMatched:
                keyMatched = false
                guard case .absent = lookup else { return .repeated }
                var start = index + 1
                while start < json.endIndex, isWhitespace(json[start]) { start += 1 }
                var end = start
                while end < json.endIndex, JSONIntegerLiteral.isNumberCharacter(json[end]) { end += 1 }
                lookup = .once(json[start..<end])
            default:
                break
            }
            index += 1
        }
        return lookup
    }

    /// The index just past the closing quote of the string that opens at `start`.
    private static func endOfString(startingAt start: Int, in json: ArraySlice<UInt8>) -> Int {
        var index = start + 1
        while index < json.endIndex, json[index] != UInt8(ascii: "\"") {
            index += json[index] == UInt8(ascii: "\\") ? 2 : 1
        }
        return min(index + 1, json.endIndex)
    }

    private static func key(_ quoted: ArraySlice<UInt8>, equals name: String) -> Bool {
        if !quoted.contains(UInt8(ascii: "\\")) {
            return quoted.dropFirst().dropLast().elementsEqual(name.utf8)
        }
        // An escaped key ("n\u0075m") is still "num" to Foundation: let Foundation unescape it.
        return (try? JSONDecoder().decode(String.self, from: Data(quoted))) == name
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}
