#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The body of `POST /`: a JSON object whose `num` is an integer in the signed 64-bit range.
///
/// Integral forms (`1e2`, `1.0`, `-0`) are integers; other fields are ignored. Anything else is
/// refused with a `SeedInputError` that says what to send instead — never coerced.
public enum SeedRequestBody {
    /// Bodies larger than this are refused (HTTP 413) before they are read in full.
    public static let maximumBytes = 1024

    public static func parse<Bytes: Collection>(_ body: Bytes) -> Result<Int64, SeedInputError>
    where Bytes.Element == UInt8 {
        guard body.count <= maximumBytes else { return .failure(.bodyTooLarge(limit: maximumBytes)) }
        let bytes = Array(body)
        guard bytes.contains(where: { !isJSONWhitespace($0) }) else { return .failure(.emptyBody) }
        guard !NestingDepth.exceedsMaximum(bytes) else { return .failure(.malformedJSON) }

        // Foundation decides whether this is JSON at all and what kind each value is.
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: Data(bytes))
        } catch {
            return .failure(.malformedJSON)
        }
        guard !FoundationLeniency.isPresent(in: bytes) else { return .failure(.malformedJSON) }
        switch document {
        case .notAnObject(let kind):
            return .failure(.notAnObject(found: kind.phrase))
        case .object(nil):
            return .failure(.missingNum)
        case .object(let kind?):
            // A repeated `num` is named as such whatever its values are: Foundation reports the
            // kind of only one of them, so "is a string" could describe the copy not fixed.
            switch TopLevelMember.value(named: "num", in: bytes[...]) {
            case .repeated: return .failure(.duplicateNum)
            case .once where kind != .number: return .failure(.numNotANumber(found: kind.phrase))
            case .once(let literal): return JSONIntegerLiteral.value(of: literal)
            case .absent: return .failure(.missingNum)
            }
        }
    }

    private static func isJSONWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// The top level: an object (with the kind of its `num`, if any) or some other JSON value.
    private enum Document: Decodable {
        case object(num: JSONValueKind?)
        case notAnObject(JSONValueKind)

        init(from decoder: Decoder) throws {
            if let object = try? decoder.container(keyedBy: AnyCodingKey.self) {
                let key = AnyCodingKey(stringValue: "num")
                self = .object(num: object.contains(key) ? try object.decode(JSONValueKind.self, forKey: key) : nil)
            } else {
                self = .notAnObject(try JSONValueKind(from: decoder))
            }
        }
    }
}
