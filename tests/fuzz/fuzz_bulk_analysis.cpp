// Fuzzes what a bulk analysis job reads from its users' buckets, all of it hostile input:
// - the first byte picks a mode; in "manifest" mode the rest is a manifest, read line by line
//   (with a small line limit, at an input-chosen read size) and each line parsed as an entry:
//   nothing crashes, line numbers count up from 1, no kept line is over the limit or holds a
//   newline, and every entry's image names a bucket and a key; each source-ref is read for
//   name-convention tokens (a script names only taxonomy labels and content types, at 0..100,
//   or an error with a code; its answer lists each label once) and matched against the line as
//   a glob (which must stay linear);
// - in "image" mode the rest is an image object: its header checked whole and then as every
//   prefix a ranged read may deliver: nothing crashes or reads out of bounds, and a header cut
//   short either decides or asks for more. (This found stb_image's Huffman-table overflow,
//   which is why image_header.cpp exists.)

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>

#include "glob_pattern.hpp"
#include "image_check.hpp"
#include "manifest_entry.hpp"
#include "manifest_lines.hpp"
#include "moderation_answer.hpp"
#include "name_convention.hpp"

namespace {

using namespace rekmock;

[[noreturn]] void violated(const char* what) {
    std::fprintf(stderr, "property violated: %s\n", what);
    std::abort();
}

class BytesReader final : public objects::ObjectReader {
  public:
    BytesReader(std::string_view bytes, std::size_t step) : bytes_(bytes), step_(step) {}
    std::uint64_t size() const noexcept override { return bytes_.size(); }
    std::size_t read(char* out, std::size_t capacity) override {
        const std::size_t n = std::min(std::min(capacity, step_), bytes_.size() - at_);
        bytes_.copy(out, n, at_);
        at_ += n;
        return n;
    }

  private:
    std::string_view bytes_;
    std::size_t step_;
    std::size_t at_ = 0;
};

void fuzz_name_convention(std::string_view source_ref) {
    const auto& taxonomy = moderation::ModerationTaxonomy::aws_v7();
    static const moderation::NameConvention convention(taxonomy);
    const auto script = convention.script(source_ref);
    if (!script) {
        return;
    }
    if (script->error) {
        if (script->error->code.empty() || !script->labels.empty()) {
            violated("a scripted error has a code and no labels");
        }
        return;
    }
    for (const auto& label : script->labels) {
        if (taxonomy.find(label.name) == nullptr || !(label.confidence >= 0) ||
            !(label.confidence <= 100)) {
            violated("a scripted label is in the taxonomy, at 0..100");
        }
    }
    for (const auto& type : script->content_types) {
        if (!taxonomy.is_content_type(type.name) || !(type.confidence >= 0) ||
            !(type.confidence <= 100)) {
            violated("a scripted content type is one of AWS's, at 0..100");
        }
    }
    const auto answer = moderation::answer_for(*script, 0, taxonomy);
    for (std::size_t i = 0; i < answer.labels.size(); ++i) {
        for (std::size_t j = i + 1; j < answer.labels.size(); ++j) {
            if (answer.labels[i].label == answer.labels[j].label) {
                violated("an answer lists each label once");
            }
        }
    }
}

void fuzz_manifest(std::string_view text, std::size_t step) {
    constexpr std::size_t kMaxLine = 256;
    BytesReader reader(text, step);
    bulk_analysis::ManifestLines lines(reader, kMaxLine);
    std::uint64_t expected = 1;
    while (const auto line = lines.next()) {
        if (line->number != expected++) {
            violated("line numbers count up from 1");
        }
        if (line->text.size() > kMaxLine || line->text.find('\n') != std::string_view::npos) {
            violated("a kept line is within the limit and holds no newline");
        }
        const auto entry = bulk_analysis::parse_manifest_line(line->text);
        if (const auto* image = std::get_if<bulk_analysis::ManifestEntry>(&entry)) {
            if (image->image.bucket.empty() || image->image.key.empty()) {
                violated("an entry's image names a bucket and a key");
            }
            fuzz_name_convention(image->source_ref);
            (void)moderation::glob_match(line->text, image->source_ref);
        }
    }
}

void fuzz_image(std::string_view bytes) {
    const auto whole = bulk_analysis::check_image_bytes(bytes, bytes.size());
    if (!whole) {
        violated("a whole object always decides");
    }
    for (std::size_t cut = 0; cut < bytes.size(); cut += 1 + cut / 4) {
        (void)bulk_analysis::check_image_bytes(bytes.substr(0, cut), bytes.size());
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) {
        return 0;
    }
    const std::string_view rest(reinterpret_cast<const char*>(data) + 2, size - 2);
    if (data[0] % 2 == 0) {
        fuzz_manifest(rest, 1 + data[1] % 64);
    } else {
        fuzz_image(rest);
    }
    return 0;
}
