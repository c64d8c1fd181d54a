#include "store_object_viewer.hpp"

#include "image_check.hpp"
#include "image_header.hpp"
#include "object_byte_stream.hpp"

namespace rekmock::bulk_analysis {
namespace {

// The bytes read_image_header() needs to tell a JPEG or PNG from anything else.
constexpr std::size_t kImageSignatureBytes = 8;

// The object a control-plane read names; std::runtime_error when it names none.
objects::ObjectRef object_ref(const S3Object& object) {
    if (!object.bucket || !object.name) {
        throw std::runtime_error("the object names no bucket and key");
    }
    return objects::ObjectRef{*object.bucket, *object.name, object.version};
}

}  // namespace

std::unique_ptr<service::ByteStream> StoreObjectViewer::open_output(const S3Object& object) {
    return std::make_unique<ObjectByteStream>(store_.open(object_ref(object), std::nullopt));
}

service::ImageStream StoreObjectViewer::open_image(const S3Object& object) {
    const objects::ObjectRef ref = object_ref(object);
    auto stream = std::make_unique<ObjectByteStream>(store_.open(ref, std::nullopt));
    const std::string uri = "s3://" + ref.bucket + "/" + ref.key;
    if (stream->size() > kMaxImageBytes) {
        throw std::runtime_error(uri + " is " + std::to_string(stream->size()) +
                                 " bytes, larger than an image a job analyses");
    }
    // Judged by content, as a job judges it: a name says nothing of what the bytes are. The
    // signature (8 bytes at most) decides; a header cut short still names its format.
    const ImageHeader header = read_image_header(stream->peek(kImageSignatureBytes));
    if (header.verdict == ImageHeader::Verdict::Neither) {
        throw std::runtime_error(uri + " is not a JPEG or PNG image");
    }
    return {std::move(stream), header.format == ImageFormat::Png ? "image/png" : "image/jpeg"};
}

}  // namespace rekmock::bulk_analysis
