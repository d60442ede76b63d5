// The link budget of a deployment: the received power of each device at each
// gateway that could hear it, computed once before the run.
//
// Stored sparse — a device × gateway matrix (Eigen, row-major, so a device's
// links are contiguous and sorted by gateway) holding only the links that
// pass the caller's range cut-off. In a city most devices are within reach of
// a few gateways out of dozens, so memory and the media's per-packet work
// follow the links that matter, not devices × gateways. Beside each stored
// received power the median (without shadowing) is kept, in the same order.
#pragma once

#include <Eigen/SparseCore>

#include <algorithm>
#include <cstdint>
#include <span>
#include <thread>
#include <vector>

namespace m2msim::propagation {

class LinkBudget {
 public:
  using Matrix = Eigen::SparseMatrix<float, Eigen::RowMajor, std::int32_t>;

  /// Collects one device's links, in ascending gateway order.
  class RowWriter {
   public:
    void add(std::size_t gateway, float rx_dBm, float median_dBm) {
      gateway_.push_back(static_cast<std::int32_t>(gateway));
      rx_.push_back(rx_dBm);
      median_.push_back(median_dBm);
    }

   private:
    friend class LinkBudget;
    std::vector<std::int32_t> gateway_;
    std::vector<float> rx_, median_;
    std::vector<std::int32_t> row_size_;
  };

  LinkBudget() = default;

  /// Builds the budget of `devices` × `gateways` on `threads` threads:
  /// `links(d, writer)` adds device d's links. Devices are split into
  /// contiguous ranges, one per thread, and joined in device order, so the
  /// result does not depend on the thread count as long as `links` is a
  /// pure function of d.
  template <class F>
  static LinkBudget build(std::size_t devices, std::size_t gateways, unsigned threads, F&& links) {
    if (threads == 0) threads = 1;
    std::vector<RowWriter> parts(threads);
    auto work = [&](unsigned t) {
      const std::size_t d0 = devices * t / threads, d1 = devices * (t + 1) / threads;
      RowWriter& w = parts[t];
      for (std::size_t d = d0; d < d1; ++d) {
        const std::size_t before = w.gateway_.size();
        links(d, w);
        w.row_size_.push_back(static_cast<std::int32_t>(w.gateway_.size() - before));
      }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work, t);
    work(0);
    for (auto& th : pool) th.join();
    return LinkBudget(devices, gateways, parts);
  }

  [[nodiscard]] std::size_t devices() const { return static_cast<std::size_t>(rx_.rows()); }
  [[nodiscard]] std::size_t gateways() const { return static_cast<std::size_t>(rx_.cols()); }
  /// Number of stored links.
  [[nodiscard]] std::size_t links() const { return static_cast<std::size_t>(rx_.nonZeros()); }
  /// The largest number of links of any one device.
  [[nodiscard]] std::size_t max_links_per_device() const { return max_row_; }

  /// Received power (dBm) of every stored link, as an Eigen sparse matrix.
  [[nodiscard]] const Matrix& rx_dBm() const { return rx_; }

  /// Device d's links: gateway indices (ascending), received power and
  /// median received power, all of the same length.
  [[nodiscard]] std::span<const std::int32_t> gateways_of(std::size_t d) const {
    return {rx_.innerIndexPtr() + begin(d), size(d)};
  }
  [[nodiscard]] std::span<const float> rx_of(std::size_t d) const { return {rx_.valuePtr() + begin(d), size(d)}; }
  [[nodiscard]] std::span<const float> median_of(std::size_t d) const { return {median_.data() + begin(d), size(d)}; }

  /// Heap bytes held (matrix and medians).
  [[nodiscard]] std::size_t memory_bytes() const {
    return links() * (sizeof(float) + sizeof(std::int32_t) + sizeof(float)) + (devices() + 1) * sizeof(std::int32_t);
  }

 private:
  LinkBudget(std::size_t devices, std::size_t gateways, std::vector<RowWriter>& parts)
      : rx_(static_cast<Eigen::Index>(devices), static_cast<Eigen::Index>(gateways)) {
    std::size_t nnz = 0;
    for (const auto& p : parts) nnz += p.gateway_.size();
    rx_.resizeNonZeros(static_cast<Eigen::Index>(nnz));
    median_.resize(nnz);
    std::int32_t* outer = rx_.outerIndexPtr();
    std::size_t row = 0, at = 0;
    outer[0] = 0;
    for (auto& p : parts) {
      std::copy(p.gateway_.begin(), p.gateway_.end(), rx_.innerIndexPtr() + at);
      std::copy(p.rx_.begin(), p.rx_.end(), rx_.valuePtr() + at);
      std::copy(p.median_.begin(), p.median_.end(), median_.begin() + static_cast<std::ptrdiff_t>(at));
      for (std::int32_t n : p.row_size_) {
        outer[row + 1] = outer[row] + n;
        max_row_ = std::max(max_row_, static_cast<std::size_t>(n));
        ++row;
      }
      at += p.gateway_.size();
      p = RowWriter{};  // free the part as soon as it is copied
    }
  }
  [[nodiscard]] std::size_t begin(std::size_t d) const { return static_cast<std::size_t>(rx_.outerIndexPtr()[d]); }
  [[nodiscard]] std::size_t size(std::size_t d) const {
    return static_cast<std::size_t>(rx_.outerIndexPtr()[d + 1] - rx_.outerIndexPtr()[d]);
  }

  Matrix rx_;
  std::vector<float> median_;
  std::size_t max_row_ = 0;
};

}  // namespace m2msim::propagation
