// attention_heatmap.cpp: attention weights per step and key position.
#include "widgets/attention_heatmap.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>
#include <cmath>
#include <limits>
#include <qcustomplot.h>

namespace gistscope::ui {

AttentionHeatmap::AttentionHeatmap(QWidget* parent) : HeatmapView(parent) {
    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(6, 4, 6, 0);
    auto* label = new QLabel(tr("Layer:"), this);
    layer_box_ = new QComboBox(this);
    layer_box_->setToolTip(tr("Which layer's attention to draw, among those the run recorded (Attention probe, "
                              "above the panes: one layer, the average, or every layer and head)."));
    label->setBuddy(layer_box_);
    auto* head_label = new QLabel(tr("Head:"), this);
    head_box_ = new QComboBox(this);
    head_box_->setObjectName(QStringLiteral("attentionHead"));
    layer_box_->setObjectName(QStringLiteral("attentionLayer"));
    head_label->setBuddy(head_box_);
    log_box_ = new QCheckBox(tr("Logarithmic colour scale"), this);
    log_box_->setToolTip(tr("Attention is heavy-tailed (the first tokens take most of it); a log scale shows the "
                            "small weights on thoughts and gists."));
    empty_note_ = new QLabel(this);
    empty_note_->setWordWrap(true);
    empty_note_->setText(tr("No attention weights in these runs. Turn on Run ▸ Attention probe before running, or "
                            "open a trace recorded with it (gistscope-cli generate --attention avg)."));
    bar->addWidget(label);
    bar->addWidget(layer_box_);
    bar->addSpacing(8);
    bar->addWidget(head_label);
    bar->addWidget(head_box_);
    bar->addSpacing(12);
    bar->addWidget(log_box_);
    bar->addStretch(1);
    static_cast<QVBoxLayout*>(layout())->insertLayout(0, bar);
    static_cast<QVBoxLayout*>(layout())->insertWidget(1, empty_note_);
    connect(layer_box_, qOverload<int>(&QComboBox::activated), this, [this](int i) {
        setLayer(layer_box_->itemData(i).toInt());
    });
    connect(head_box_, qOverload<int>(&QComboBox::activated), this, [this](int i) {
        setHead(head_box_->itemData(i).toInt());
    });
    connect(log_box_, &QCheckBox::toggled, this, &AttentionHeatmap::setLogScale);
    // Max-pooled attention over a log colour scale costs more per cell than the mask: half the
    // screen resolution and 5 rebuilds a second while streaming (full resolution on export).
    setLiveDetail(0.5, 200);

    scale_ = new QCPColorScale(plot_);
    scale_->setType(QCPAxis::atBottom);
    scale_->setLabel(tr("attention probability (grey: evicted or masked; blank: not generated yet)"));
    scale_->setBarWidth(10);
    bottomRow()->addElement(0, 0, scale_);
    bottomRow()->setMargins(QMargins(60, 0, 60, 4));
    for (auto& p : panels_) p.map->setColorScale(scale_);
    applyTheme();
    setLogScale(true);  // the weights are heavy-tailed: linear shows little but the sink
}

void AttentionHeatmap::applyTheme() {
    HeatmapView::applyTheme();
    // Viridis: perceptually uniform and readable with colour-vision deficiencies.
    QCPColorGradient g;
    g.clearColorStops();
    g.setColorStopAt(0.0, QColor(0x44, 0x01, 0x54));
    g.setColorStopAt(0.25, QColor(0x3B, 0x52, 0x8B));
    g.setColorStopAt(0.5, QColor(0x21, 0x91, 0x8C));
    g.setColorStopAt(0.75, QColor(0x5E, 0xC9, 0x62));
    g.setColorStopAt(1.0, QColor(0xFD, 0xE7, 0x25));
    g.setNanHandling(QCPColorGradient::nhNanColor);
    g.setNanColor(palette_.fill(ViewRole::never_seen).darker(palette_.is_dark() ? 80 : 104));
    if (scale_) {
        scale_->setGradient(g);
        styleAxis(scale_->axis());
    }
}

void AttentionHeatmap::setLogScale(bool on) {
    log_ = on;
    if (log_box_->isChecked() != on) log_box_->setChecked(on);
    scale_->setDataScaleType(on ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    if (on) {
        // A label at every power of ten, 0.0001 to 1.
        QSharedPointer<QCPAxisTickerLog> ticker(new QCPAxisTickerLog);
        ticker->setLogBase(10);
        ticker->setSubTickCount(8);
        scale_->axis()->setTicker(ticker);
        scale_->axis()->setNumberFormat(QStringLiteral("gb"));
        scale_->setDataRange(QCPRange(1e-4, 1));
    } else {
        scale_->axis()->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
        scale_->axis()->setNumberFormat(QStringLiteral("g"));
    }
    updateLinearRange();
    invalidate();
    refresh();
}

void AttentionHeatmap::updateLinearRange() {
    if (log_) return;
    // Linear: up to the largest weight off the first token (the attention sink), so the weights on
    // thoughts and gists get the colours; the sink saturates.
    double top = 0;
    for (const auto* run : runs_)
        if (run)
            for (const auto& row : run->attention())
                if (row.layer == layer_ && row.head == head_)
                    for (size_t i = 0; i < row.positions.size(); ++i)
                        if (row.positions[i] > 0) top = std::max(top, double(row.weights[i]));
    scale_->setDataRange(QCPRange(0, top > 0 ? std::min(1.0, top) : 1.0));
}

void AttentionHeatmap::setLayer(int layer) {
    layer_ = layer;
    invalidate();
    refresh();
}

void AttentionHeatmap::setHead(int head) {
    head_ = head;
    invalidate();
    refresh();
}

QString AttentionHeatmap::extraSignature() const { return QStringLiteral("%1/%2/%3").arg(layer_).arg(head_).arg(log_); }

void AttentionHeatmap::updateLayers() {
    std::vector<int> layers;
    for (const auto* run : runs_)
        if (run)
            for (int l : run->attention_layers())
                if (std::find(layers.begin(), layers.end(), l) == layers.end()) layers.push_back(l);
    std::sort(layers.begin(), layers.end());
    if (int(layers.size()) != layer_box_->count() ||
        std::any_of(layers.begin(), layers.end(), [&](int l) { return layer_box_->findData(l) < 0; })) {
        layer_box_->clear();
        for (int l : layers) layer_box_->addItem(l < 0 ? tr("average of all layers") : tr("layer %1").arg(l), l);
    }
    if (!layers.empty() && std::find(layers.begin(), layers.end(), layer_) == layers.end()) layer_ = layers.front();
    layer_box_->setCurrentIndex(std::max(0, layer_box_->findData(layer_)));
    layer_box_->setEnabled(layers.size() > 1);
    layer_box_->setToolTip(layers.size() > 1
                               ? tr("Which recorded layer's attention to draw.")
                               : tr("These runs recorded one choice only. To see another layer, choose it in Attention "
                                    "probe (above the panes) and run again."));
    empty_note_->setVisible(layers.empty());

    // Heads of the chosen layer: the mean, and each head when the run recorded every head.
    std::vector<int> heads;
    for (const auto* run : runs_)
        if (run)
            for (int h : run->attention_heads(layer_))
                if (std::find(heads.begin(), heads.end(), h) == heads.end()) heads.push_back(h);
    std::sort(heads.begin(), heads.end());
    if (int(heads.size()) != head_box_->count() ||
        std::any_of(heads.begin(), heads.end(), [&](int h) { return head_box_->findData(h) < 0; })) {
        head_box_->clear();
        for (int h : heads) head_box_->addItem(h < 0 ? tr("mean of the heads") : tr("head %1").arg(h), h);
    }
    if (std::find(heads.begin(), heads.end(), head_) == heads.end()) head_ = heads.empty() ? -1 : heads.front();
    head_box_->setCurrentIndex(std::max(0, head_box_->findData(head_)));
    head_box_->setEnabled(heads.size() > 1);
    head_box_->setToolTip(heads.size() > 1 ? tr("Which head of the layer to draw, or the mean of its heads.")
                                           : tr("These runs recorded the mean of the heads only. To choose a head after "
                                                "the run, set Attention probe to Every layer and head and run again."));
}

void AttentionHeatmap::refresh() {
    updateLayers();
    updateLinearRange();
    HeatmapView::refresh();
}

void AttentionHeatmap::fillCells(const RunModel& run, int step, QCPColorMapData& data, int cols, int rows,
                                 int positions, int steps) const {
    // NaN (grey): evicted or masked, a key the query could not see. Transparent (the background):
    // positions not generated yet at that step, and steps not reached.
    data.fill(std::numeric_limits<double>::quiet_NaN());
    data.fillAlpha(0);
    for (const auto& row : run.attention()) {
        if (row.layer != layer_ || row.head != head_ || row.step > step) continue;
        const int v = rows - 1 - int(int64_t(row.step) * rows / steps);
        const int kq = std::min(cols - 1, int(int64_t(row.query_position) * cols / positions));
        for (int k = 0; k <= kq; ++k) data.setAlpha(k, v, 255);
        for (size_t i = 0; i < row.positions.size(); ++i) {
            const int k = int(int64_t(row.positions[i]) * cols / positions);
            if (k < 0 || k >= cols) continue;
            const double w = row.weights[i];
            const double old = data.cell(k, v);
            if (std::isnan(old) || w > old) data.setCell(k, v, w);
        }
    }
}

QString AttentionHeatmap::describeCell(const RunModel& run, int32_t position, int step) const {
    QString s = HeatmapView::describeCell(run, position, step);
    for (const auto& row : run.attention()) {
        if (row.step != step || row.layer != layer_ || row.head != head_) continue;
        for (size_t i = 0; i < row.positions.size(); ++i)
            if (row.positions[i] == position) return s + tr(", weight %1").arg(row.weights[i], 0, 'g', 3);
        return s + tr(", not attended");
    }
    return s;
}

QString AttentionHeatmap::csv() const {
    QString out = QStringLiteral("pane,method,layer,head,step,query_position,key_position,weight\n");
    for (int pane = 0; pane < 2; ++pane) {
        const RunModel* run = runs_[pane];
        if (!run) continue;
        const QString method = QString::fromStdString(run->header().method);
        const int last = run->current_step();
        for (const auto& row : run->attention()) {
            if (row.step > last) continue;
            for (size_t i = 0; i < row.positions.size(); ++i)
                out += QStringLiteral("%1,%2,%3,%4,%5,%6,%7,%8\n")
                           .arg(pane == 0 ? QLatin1String("left") : QLatin1String("right"), method)
                           .arg(row.layer)
                           .arg(row.head)
                           .arg(row.step)
                           .arg(row.query_position)
                           .arg(row.positions[i])
                           .arg(double(row.weights[i]), 0, 'g', 6);
        }
    }
    return out;
}

}  // namespace gistscope::ui
