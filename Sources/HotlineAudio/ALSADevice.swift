import CALSA
import Foundation

/// A device ALSA knows, as `snd_device_name_hint` lists it (`aplay -L` shows the same).
public struct ALSADeviceHint: Sendable, Hashable {
    /// The PCM name to pass to `--device` (`default`, `plughw:CARD=PCH,DEV=0`, `null`).
    public var name: String
    /// ALSA's one-line description, if it has one.
    public var summary: String?

    public init(name: String, summary: String?) {
        self.name = name
        self.summary = summary
    }

    /// Every playback PCM ALSA knows of on this machine (virtual ones like `null` included).
    public static func playbackDevices() -> [ALSADeviceHint] {
        var hints: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
        guard snd_device_name_hint(-1, "pcm", &hints) == 0, let hints else { return [] }
        defer { snd_device_name_free_hint(hints) }
        var result: [ALSADeviceHint] = []
        var index = 0
        while let hint = hints[index] {
            index += 1
            let name = takeString(snd_device_name_get_hint(hint, "NAME"))
            let summary = takeString(snd_device_name_get_hint(hint, "DESC"))
            let direction = takeString(snd_device_name_get_hint(hint, "IOID"))
            guard let name, direction == nil || direction == "Output" else { continue }
            result.append(ALSADeviceHint(name: name, summary: summary?.replacingOccurrences(of: "\n", with: " — ")))
        }
        return result
    }

    /// One line listing the devices, for error messages.
    static func listing() -> String {
        let devices = playbackDevices()
        guard !devices.isEmpty else { return "ALSA lists no playback devices on this machine" }
        return "devices ALSA knows: " + devices.map(\.name).joined(separator: ", ")
    }

    private static func takeString(_ pointer: UnsafeMutablePointer<CChar>?) -> String? {
        guard let pointer else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }
}

/// The sample format a playback is set up for. Samples are always signed 16-bit interleaved.
public struct PCMFormat: Sendable, Hashable {
    public var sampleRate: Int
    public var channels: Int

    public init(sampleRate: Int, channels: Int) {
        self.sampleRate = sampleRate
        self.channels = channels
    }

    /// What prompts are: 8 kHz mono.
    public static let telephony = PCMFormat(sampleRate: 8000, channels: 1)
}

/// An open ALSA playback PCM, set up for one ``PCMFormat`` with ~20 ms periods.
///
/// Not thread-safe: one thread at a time uses it (``PCMPlayer`` guarantees that). Closing happens
/// on deinit.
final class ALSAPCM {
    let device: String
    let format: PCMFormat
    /// Frames in one period (~20 ms): the unit written at a time, and the longest a write blocks.
    let periodFrames: Int
    /// Frames the device buffers (~4 periods).
    let bufferFrames: Int
    private let pcm: OpaquePointer

    /// Opens and configures `device`.
    ///
    /// Configures through the `_malloc` hw/sw params (the `alloca` macros are not callable from
    /// Swift), allows ALSA's resampler so `plug` devices convert 8 kHz mono to what the card does,
    /// and refuses a device that would silently play at the wrong rate (a bare `hw:` device).
    init(device: String, format: PCMFormat, periodTime: Duration = .milliseconds(20)) throws(AudioError) {
        _ = hotline_alsa_capture_errors()
        var handle: OpaquePointer?
        let openStatus = snd_pcm_open(&handle, device, SND_PCM_STREAM_PLAYBACK, 0)
        guard openStatus >= 0, let handle else {
            let reason = ALSAPCM.reason(openStatus)
            let busy = openStatus == -EBUSY
            throw AudioError(
                .deviceUnavailable, subject: "ALSA device '\(device)'",
                message: (busy ? "busy (another program is playing on it): " : "cannot be opened: ") + reason + "; " + ALSADeviceHint.listing(),
                fix: busy ? "close the other program, or pick a `plug`/`dmix` device with --device" : "pick one with --device NAME (`aplay -L` lists them; on a laptop try `plughw:0,0`), or use --audio off"
            )
        }
        pcm = handle
        self.device = device
        self.format = format
        do {
            (periodFrames, bufferFrames) = try ALSAPCM.configure(handle, device: device, format: format, periodTime: periodTime)
        } catch {
            snd_pcm_close(handle)
            throw error
        }
    }

    deinit {
        snd_pcm_close(pcm)
    }

    private static func reason(_ status: Int32) -> String {
        var message = String(cString: snd_strerror(status))
        var buffer = [CChar](repeating: 0, count: 512)
        hotline_alsa_take_last_message(&buffer, buffer.count)
        let detail = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if !detail.isEmpty { message += " (ALSA: \(detail))" }
        return message
    }

    private static func configure(_ pcm: OpaquePointer, device: String, format: PCMFormat, periodTime: Duration) throws(AudioError) -> (Int, Int) {
        let subject = "ALSA device '\(device)'"
        func check(_ status: Int32, _ what: String) throws(AudioError) {
            guard status >= 0 else {
                throw AudioError(
                    .deviceFormat, subject: subject, message: "\(what) failed: \(reason(status))",
                    fix: "use a `plughw:` or `plug:` device so ALSA converts the format"
                )
            }
        }
        var hwPointer: OpaquePointer?
        try check(snd_pcm_hw_params_malloc(&hwPointer), "allocating hw params")
        guard let hw = hwPointer else { throw AudioError(.deviceFormat, subject: subject, message: "no hw params", fix: nil) }
        defer { snd_pcm_hw_params_free(hw) }
        try check(snd_pcm_hw_params_any(pcm, hw), "reading the device's capabilities")
        try check(snd_pcm_hw_params_set_rate_resample(pcm, hw, 1), "allowing resampling")
        try check(snd_pcm_hw_params_set_access(pcm, hw, SND_PCM_ACCESS_RW_INTERLEAVED), "setting interleaved access")
        try check(snd_pcm_hw_params_set_format(pcm, hw, hotline_snd_pcm_format_s16()), "setting 16-bit samples")
        try check(snd_pcm_hw_params_set_channels(pcm, hw, UInt32(format.channels)), "setting \(format.channels) channel(s)")
        var rate = UInt32(format.sampleRate)
        var direction: Int32 = 0
        try check(snd_pcm_hw_params_set_rate_near(pcm, hw, &rate, &direction), "setting \(format.sampleRate) Hz")
        guard Int(rate) == format.sampleRate else {
            throw AudioError(
                .deviceFormat, subject: subject,
                message: "plays \(rate) Hz, not \(format.sampleRate) Hz, and does not convert",
                fix: "use the `plughw:` form of this device (e.g. `plughw:0,0` for `hw:0,0`) so ALSA converts"
            )
        }
        let periodMicros = UInt32(periodTime.components.seconds * 1_000_000 + periodTime.components.attoseconds / 1_000_000_000_000)
        var period = periodMicros
        direction = 0
        try check(snd_pcm_hw_params_set_period_time_near(pcm, hw, &period, &direction), "setting ~\(periodMicros / 1000) ms periods")
        var buffer = periodMicros * 4
        direction = 0
        try check(snd_pcm_hw_params_set_buffer_time_near(pcm, hw, &buffer, &direction), "setting the buffer time")
        try check(snd_pcm_hw_params(pcm, hw), "applying the hw params")

        var periodFrames: snd_pcm_uframes_t = 0
        direction = 0
        try check(snd_pcm_hw_params_get_period_size(hw, &periodFrames, &direction), "reading the period size")
        var bufferFrames: snd_pcm_uframes_t = 0
        try check(snd_pcm_hw_params_get_buffer_size(hw, &bufferFrames), "reading the buffer size")

        var swPointer: OpaquePointer?
        try check(snd_pcm_sw_params_malloc(&swPointer), "allocating sw params")
        guard let sw = swPointer else { throw AudioError(.deviceFormat, subject: subject, message: "no sw params", fix: nil) }
        defer { snd_pcm_sw_params_free(sw) }
        try check(snd_pcm_sw_params_current(pcm, sw), "reading the sw params")
        // Start as soon as one period is queued: the first words are heard without waiting for a
        // full buffer.
        try check(snd_pcm_sw_params_set_start_threshold(pcm, sw, periodFrames), "setting the start threshold")
        try check(snd_pcm_sw_params_set_avail_min(pcm, sw, periodFrames), "setting the wake-up size")
        try check(snd_pcm_sw_params(pcm, sw), "applying the sw params")
        return (Int(max(periodFrames, 1)), Int(max(bufferFrames, periodFrames, 1)))
    }

    /// Makes the PCM ready for a new playback (after a drain, a drop or an underrun).
    func prepare() throws(AudioError) {
        let state = snd_pcm_state(pcm)
        guard state != SND_PCM_STATE_PREPARED else { return }
        let status = snd_pcm_prepare(pcm)
        guard status >= 0 else {
            throw AudioError(.deviceIO, subject: "ALSA device '\(device)'", message: "cannot prepare for playback: \(ALSAPCM.reason(status))", fix: nil)
        }
    }

    /// Writes interleaved frames, blocking while the device buffer is full. Recovers from underruns
    /// (`snd_pcm_recover`) and counts them. Returns the frames ALSA accepted (all of them unless an
    /// error could not be recovered).
    func write(_ samples: UnsafeBufferPointer<Int16>, frames: Int, underruns: inout Int) throws(AudioError) {
        var done = 0
        var attempts = 0
        while done < frames {
            guard let base = samples.baseAddress else { return }
            let written = snd_pcm_writei(pcm, base + done * format.channels, snd_pcm_uframes_t(frames - done))
            if written >= 0 {
                done += Int(written)
                attempts = 0
                continue
            }
            let status = Int32(written)
            if status == -EAGAIN { continue }
            if status == -EPIPE { underruns += 1 }
            attempts += 1
            let recovered = snd_pcm_recover(pcm, status, 1)
            guard recovered >= 0, attempts < 5 else {
                throw AudioError(.deviceIO, subject: "ALSA device '\(device)'", message: "writing failed: \(ALSAPCM.reason(status))", fix: "check the device is still connected")
            }
        }
    }

    /// Discards what is queued and stops at once (barge-in).
    func drop() {
        snd_pcm_drop(pcm)
    }

    /// Blocks until every queued frame has been played.
    func drain() {
        snd_pcm_drain(pcm)
    }
}
