#pragma once

// The control plane's view of the objects (service/object_viewer.hpp) over an object store:
// outputs as stored, images judged by content as a job judges them.

#include "object_store.hpp"
#include "object_viewer.hpp"

namespace rekmock::bulk_analysis {

class StoreObjectViewer final : public service::ObjectViewer {
  public:
    // Reads `store`, which must outlive this.
    explicit StoreObjectViewer(objects::ObjectStore& store) : store_(store) {}

    std::unique_ptr<service::ByteStream> open_output(const S3Object& object) override;
    service::ImageStream open_image(const S3Object& object) override;

  private:
    objects::ObjectStore& store_;
};

}  // namespace rekmock::bulk_analysis
