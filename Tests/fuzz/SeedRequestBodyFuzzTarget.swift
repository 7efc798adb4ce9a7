// libFuzzer entry point for the request-body validation in Sources/SeedInput.
//
// Built by Tests/fuzz/fuzz.mk together with those sources into one module, so it sees the same
// code the server runs. Beyond "no crash", it checks properties that must hold for every input:
// the answer is deterministic, it is exactly the answer worked out independently of the server's
// code (ExpectedOutcome.swift: StrictJSON.swift reads the structure by the letter of RFC 8259,
// ExactIntegerValue.swift the number's digits), and every refusal explains itself on one line.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func seedRequestBodyFuzzTarget(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let first = SeedRequestBody.parse(bytes)
    let again = SeedRequestBody.parse(Array(bytes))
    require(first == again, "parse is not deterministic")

    if let expected = ExpectedOutcome.of(Array(bytes)) {
        require(first == expected, "answered \(first) where the body calls for \(expected)")
    }

    switch first {
    case .success:
        require(size <= SeedRequestBody.maximumBytes, "accepted a body over the size limit")
        require(StrictJSON.isValid(bytes), "accepted a body that is not valid JSON")
    case .failure(let error):
        let reason = error.description
        require(!reason.isEmpty && !reason.contains("\n"), "a refusal must be one line")
        require(error.isBodyTooLarge == (size > SeedRequestBody.maximumBytes),
                "413 must mean exactly 'over the size limit'")
    }
    return 0
}

/// Like `precondition`, but the message survives an optimised build: libFuzzer then saves the
/// input and the message says which property broke.
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    guard !condition else { return }
    fputs("property violated: \(message())\n", stderr)
    abort()
}
