#pragma once

// What the control plane shows of the object store: a job's output files, for tests that need
// no S3 client, and the images its results name, for the browser view. A port of its own, apart
// from the job's work: reading an object never goes through the work's scheduling. The service
// knows no object store; the bulk-analysis layer implements it over one.

#include <memory>
#include <string>

#include "byte_stream.hpp"
#include "media_analysis_job.hpp"

namespace rekmock::service {

// An image's bytes and their media type ("image/jpeg", "image/png").
struct ImageStream {
    std::unique_ptr<ByteStream> bytes;
    std::string content_type;
};

class ObjectViewer {
  public:
    virtual ~ObjectViewer() = default;
    // The bytes of an object a job wrote, opened; throws std::runtime_error saying why not.
    virtual std::unique_ptr<ByteStream> open_output(const S3Object& object) = 0;
    // The bytes of a JPEG or PNG object of at most the size a job analyses, opened; throws
    // std::runtime_error saying why not (missing, too large, not an image: nothing else is
    // served, so the store cannot hand a browser a page).
    virtual ImageStream open_image(const S3Object& object) = 0;
};

}  // namespace rekmock::service
