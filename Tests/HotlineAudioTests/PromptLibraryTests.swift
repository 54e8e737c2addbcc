import Foundation
import HotlineAudio
import HotlineCore
import HotlineFlowFile
import Testing

@Suite struct PromptLibraryTests {
    let shippedCatalog = repositoryRoot + "/Prompts/en-US/catalog.yaml"
    let referenceFlow = repositoryRoot + "/Fixtures/flows/gsc.yaml"

    @Test func shippedLibraryPassesTheCheck() throws {
        let catalog = try PromptCatalog.load(path: shippedCatalog)
        let result = PromptCheck.run(catalog: catalog)
        #expect(result.problems == [])
        #expect(result.checked.count == catalog.entries.count)
        for id in PromptSegment.digitPromptIDs + ["system.invalid", "system.no-input", "system.goodbye"] {
            #expect(catalog[id] != nil, "the library lacks \(id)")
        }
    }

    @Test func referenceFlowPromptsAreAllInTheLibrary() throws {
        let catalog = try PromptCatalog.load(path: shippedCatalog)
        let uses = try FlowFile.load(path: referenceFlow).promptUses
        #expect(uses.contains { $0.id == "gsc.welcome" && $0.node == "welcome" })
        #expect(uses.contains { $0.id == "digit.pound" })  // a read-back
        #expect(uses.allSatisfy { $0.location.line > 0 })
        #expect(PromptCheck.run(catalog: catalog, uses: uses).problems == [])
    }

    @Test func checkCatchesAMissingPromptAWrongFormatAndAMissingWAV() throws {
        let folder = try TemporaryFolder()
        try WAVBuilder.pcm16(testSignal(frames: 800)).write(to: folder.file("hello.wav"))
        try WAVBuilder.pcm16(testSignal(frames: 800), sampleRate: 44100, channels: 2).write(to: folder.file("music.wav"))
        try WAVBuilder.pcm16([]).write(to: folder.file("silent.wav"))
        try Data("not audio".utf8).write(to: URL(fileURLWithPath: folder.file("broken.wav")))
        // A second of digital silence: a valid 8 kHz WAV a caller would hear nothing of.
        try WAVBuilder.pcm16([Int16](repeating: 0, count: 8000)).write(to: folder.file("hush.wav"))
        let catalog = try folder.catalog([
            ("hello", "Hello."), ("music", "Music."), ("gone", "Gone."), ("silent", "Shh."), ("broken", "Broken."), ("hush", "Hush."),
        ])
        let flow = folder.file("flow.yaml")
        try """
            flow: t
            start: greet
            nodes:
              greet:
                type: play
                prompts: [hello, music]
                next: ask
              ask:
                type: menu
                greeting: hello
                invalid_prompt: nope.missing
                options: {"1": bye}
                on_exhausted: bye
              bye:
                type: hangup
                prompt: [gone, silent, broken, hush]

            """.write(toFile: flow, atomically: true, encoding: .utf8)
        let result = PromptCheck.run(catalog: catalog, uses: try FlowFile.load(path: flow, prompts: catalog.path).promptUses)
        #expect(result.checked == ["hello", "music", "nope.missing", "gone", "silent", "broken", "hush"])
        #expect(!result.passed)
        let byPrompt = Dictionary(grouping: result.problems, by: \.prompt)
        #expect(byPrompt["hello"] == nil)
        #expect(byPrompt["music"]?.first?.message.contains("44100 Hz stereo") == true)
        let missing = try #require(byPrompt["nope.missing"]?.first)
        #expect(missing.location == "\(flow):11:21")
        #expect(missing.description.contains("node 'ask' plays prompt 'nope.missing', which is not in the catalog"))
        #expect(byPrompt["gone"]?.first?.message.contains("no such file") == true)
        #expect(byPrompt["silent"]?.first?.message.contains("holds no audio") == true)
        #expect(byPrompt["broken"]?.first?.message.contains("not a WAV file") == true)
        #expect(byPrompt["hush"]?.first?.message.contains("is silent") == true)
        #expect(result.problems.count == 6)
    }

    @Test func silenceIsEverySampleBelowSixtyDecibelsBelowFullScale() {
        #expect(PromptCheck.isSilent([Int16](repeating: 0, count: 8000)))
        #expect(PromptCheck.isSilent([3, -7, 32, -32]))
        #expect(!PromptCheck.isSilent([0, 0, 33, 0]))
        #expect(!PromptCheck.isSilent(testSignal(frames: 800)))
    }

    @Test func lengthsComeFromTheWAVHeaders() throws {
        let folder = try TemporaryFolder()
        try WAVBuilder.pcm16(testSignal(frames: 12000)).write(to: folder.file("a.wav"))
        try WAVBuilder.g711(Array(repeating: 0xFF, count: 4000), muLaw: true).write(to: folder.file("b.wav"))
        let catalog = try folder.catalog([("a", "One and a half seconds."), ("b", "Half."), ("c", "four words are missing")])
        let lengths = WAVPromptLengths(catalog: catalog)
        #expect(lengths.duration(of: "a") == .milliseconds(1500))
        #expect(lengths.duration(ofPrompts: ["a", "b", "a"]) == .milliseconds(3500))
        // A missing WAV is estimated from its transcript and reported; an unknown id counts zero.
        #expect(lengths.duration(of: "c") == .milliseconds(1600))
        #expect(lengths.problems.map(\.subject) == [folder.file("c.wav")])
        #expect(lengths.duration(ofPrompts: ["unknown"]) == .zero)
        let asProtocol: any PromptLengths = lengths
        #expect(asProtocol.duration(ofPrompts: ["b"]) == .milliseconds(500))
    }

    @Test func listingReadsEachHeader() throws {
        let catalog = try PromptCatalog.load(path: shippedCatalog)
        let listings = PromptListing.list(catalog)
        #expect(listings.map(\.id) == catalog.entries.map(\.id))
        #expect(listings.allSatisfy { $0.problem == nil && $0.format?.isTelephony == true })
        let welcome = try #require(listings.first { $0.id == "gsc.welcome" })
        #expect(welcome.transcript.hasPrefix("Thank you for calling"))
        #expect(welcome.format!.duration > .seconds(3))
    }

    static let toolsInstalled = ["/usr/bin/espeak-ng", "/usr/bin/sox"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: toolsInstalled, "needs espeak-ng and sox (`make prompts` installs them)"))
    func generatorIsDeterministicAndWritesTelephonyWAVs() throws {
        let folder = try TemporaryFolder()
        let catalog = try folder.catalog([("digit.7", "seven"), ("hello", "Hello, and welcome.")])
        let generator = try PromptGenerator()
        var first: [[UInt8]] = []
        for entry in catalog.entries {
            let format = try generator.generate(entry)
            #expect(format.isTelephony && format.encoding == .pcm16 && format.frameCount > 1000)
            first.append([UInt8](try Data(contentsOf: URL(fileURLWithPath: entry.file))))
        }
        for (index, entry) in catalog.entries.enumerated() {
            try generator.generate(entry)
            #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: entry.file))) == first[index], "\(entry.id) changed between runs")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".partial") }.isEmpty)
    }

    @Test func generatorSaysWhenToolsAreMissing() {
        do {
            _ = try PromptGenerator(searchPath: "/nonexistent")
            Issue.record("found tools in an empty PATH")
        } catch {
            #expect(error.code == .generatorFailed)
            #expect(error.subject == "espeak-ng")
            #expect(error.fix?.contains("make prompts") == true)
        }
    }
}
