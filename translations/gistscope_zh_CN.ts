<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AttentionHeatmap</name>
    <message>
        <location filename="../widgets/attention_heatmap.cpp" line="18"/>
        <source>Layer:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/attention_heatmap.cpp" line="20"/>
        <source>Which layer&apos;s attention to draw. The engine records one layer, or the average over all layers, per run (Run ▸ Attention probe).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/attention_heatmap.cpp" line="23"/>
        <source>Logarithmic colour scale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/attention_heatmap.cpp" line="24"/>
        <source>Attention is heavy-tailed (the first tokens take most of it); a log scale shows the small weights on thoughts and gists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/attention_heatmap.cpp" line="28"/>
        <source>No attention weights in these runs. Turn on Run ▸ Attention probe before running, or open a trace recorded with it (gistscope-cli generate --attention avg).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/attention_heatmap.cpp" line="44"/>
        <source>attention probability (grey: not in the cache)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/attention_heatmap.cpp" line="98"/>
        <source>average of all layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/attention_heatmap.cpp" line="98"/>
        <source>layer %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/attention_heatmap.cpp" line="132"/>
        <source>, weight %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/attention_heatmap.cpp" line="133"/>
        <source>, not attended</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HeatmapView</name>
    <message>
        <location filename="../widgets/heatmap_view.cpp" line="38"/>
        <source>token position</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/heatmap_view.cpp" line="39"/>
        <source>decoding step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/heatmap_view.cpp" line="76"/>
        <source>step %1, position %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/heatmap_view.cpp" line="78"/>
        <source>step %1, position %2: %3 &apos;%4&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/heatmap_view.cpp" line="104"/>
        <source>left pane: no run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/heatmap_view.cpp" line="104"/>
        <source>right pane: no run</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MetricsTable</name>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="25"/>
        <source>Accuracy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="25"/>
        <source>Answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="25"/>
        <source>Time (s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="25"/>
        <source>Tokens per second</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="26"/>
        <source>Peak tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="26"/>
        <source>Peak KV (MiB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="26"/>
        <source>Dependency (M)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="26"/>
        <source>Compressions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="27"/>
        <source>Thoughts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="27"/>
        <source>Mean thought length (tokens)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="27"/>
        <source>Generated tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="27"/>
        <source>Stopped by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="29"/>
        <source>Whether the last \boxed{} answer matches the expected answer (spec 7.4).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="30"/>
        <source>Content of the last \boxed{} in the output.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="31"/>
        <source>Wall-clock time of prefill and decode.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="32"/>
        <source>Generated tokens per second of decode.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="33"/>
        <source>Largest number of tokens in the KV cache, counted as the paper does (spec 7.2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="34"/>
        <source>Peak tokens times the KV bytes per token of the model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="35"/>
        <source>Sum over generated tokens of the context they were generated in, in millions (spec 7.3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="36"/>
        <source>Thoughts folded into gist tokens.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="37"/>
        <source>Compressed thoughts plus the trailing one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="38"/>
        <source>Generated tokens per thought.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="39"/>
        <source>Model-chosen tokens, the final end token included.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="40"/>
        <source>Why the run ended.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="69"/>
        <source>Left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="69"/>
        <source>Right</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="72"/>
        <source>Left / right</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="83"/>
        <source>correct</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="83"/>
        <source>wrong</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="84"/>
        <source>no expected answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="87"/>
        <source>running</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OccupancyPlot</name>
    <message>
        <location filename="../widgets/occupancy_plot.cpp" line="24"/>
        <source>decoding step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/occupancy_plot.cpp" line="25"/>
        <source>KV cache (tokens)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/occupancy_plot.cpp" line="27"/>
        <source>KV cache (MiB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/occupancy_plot.cpp" line="149"/>
        <source>%1 — peak %2 tokens, dependency %3 (area)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/occupancy_plot.cpp" line="153"/>
        <source>, %n compression(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../widgets/occupancy_plot.cpp" line="164"/>
        <source>peak %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PlotView</name>
    <message>
        <location filename="../widgets/plot_view.cpp" line="112"/>
        <source>Cannot export to %1: unknown format &apos;%2&apos;, expected .png, .pdf, .svg or .csv.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/plot_view.cpp" line="151"/>
        <source>Cannot write %1: the %2 export failed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <location filename="../widgets/plot_view.cpp" line="78"/>
        <source>Cannot write %1: the folder %2 does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/plot_view.cpp" line="82"/>
        <source>Cannot write %1: the folder %2 is not writable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/plot_view.cpp" line="86"/>
        <source>Cannot write %1: a file there cannot be replaced.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/plot_view.cpp" line="96"/>
        <location filename="../widgets/plot_view.cpp" line="101"/>
        <source>Cannot write %1: %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TokenStreamView</name>
    <message>
        <location filename="../widgets/token_stream_view.cpp" line="134"/>
        <source>thought %1 · %2 tokens → </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/token_stream_view.cpp" line="145"/>
        <source> %1 kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/token_stream_view.cpp" line="367"/>
        <source>chosen but never fed (end of the run)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/token_stream_view.cpp" line="369"/>
        <source>evicted at step %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/token_stream_view.cpp" line="371"/>
        <source>in the cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/token_stream_view.cpp" line="374"/>
        <source>id %1 · position %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/token_stream_view.cpp" line="375"/>
        <source>role: %1%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/token_stream_view.cpp" line="375"/>
        <source> (inserted by the method)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/token_stream_view.cpp" line="377"/>
        <source>prefill (step 0)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/token_stream_view.cpp" line="377"/>
        <source>step %1 · thought %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/token_stream_view.cpp" line="394"/>
        <source>Compressed thought: click to show or hide its evicted text.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>gistscope::gui::MainWindow</name>
    <message>
        <location filename="../app/gui/main_window.cpp" line="61"/>
        <source>LightThinker: after each thought the model writes a few gist tokens and the thought&apos;s KV entries are evicted; later tokens see only the gists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="64"/>
        <source>LightThinker, token level: compress every S generated tokens instead of at each thought.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="67"/>
        <source>AnLLM: the model writes an anchor token after each sentence; the sentence is evicted and the anchor stays.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="70"/>
        <source>Vanilla: nothing is evicted; the cache grows with every token.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="71"/>
        <source>H2O: a fixed cache budget; keeps the recent tokens and the heavy hitters (most attended tokens), evicts the rest.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="74"/>
        <source>SepLLM: a fixed budget of initial tokens, separator tokens (punctuation) and a recent window.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="104"/>
        <source>GistScope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="179"/>
        <source>Continue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="180"/>
        <source>Resume the playback until the next compression.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="199"/>
        <source>Selected position %1 (step %2) in the %3 pane</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="202"/>
        <location filename="../app/gui/main_window.cpp" line="707"/>
        <location filename="../app/gui/main_window.cpp" line="788"/>
        <source>left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="202"/>
        <location filename="../app/gui/main_window.cpp" line="707"/>
        <location filename="../app/gui/main_window.cpp" line="788"/>
        <source>right</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="229"/>
        <source>&amp;Problem:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="232"/>
        <source>Type a problem, or pick one from the examples.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="233"/>
        <source>The question given to both models. The model&apos;s chat template and system prompt are added.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="238"/>
        <source>Bundled example problems (resources/datasets/demo-test.jsonl) with their answers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="243"/>
        <source>expected answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="244"/>
        <source>When known, the answers are marked correct or wrong and the accuracy is shown.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="261"/>
        <source>Left:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="261"/>
        <source>Right:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="267"/>
        <source>Model of the left pane: a folder with config.json, safetensors, tokenizer and gistscope.json.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="269"/>
        <source>Model of the right (comparison) pane; &quot;none&quot; runs the left pane only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="273"/>
        <source>How the KV cache is managed during decoding.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="294"/>
        <source>every</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="294"/>
        <source>Token-level LightThinker: compress every S generated tokens.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="295"/>
        <source>budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="295"/>
        <source>Cache budget in tokens (H2O, SepLLM): older tokens are evicted beyond it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="296"/>
        <source>recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="296"/>
        <source>H2O: tokens of the recent window kept; -1 uses half the budget, as the paper ran it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="297"/>
        <source>initial</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="297"/>
        <source>SepLLM: initial tokens always kept (attention sinks).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="298"/>
        <source>separators</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="298"/>
        <source>SepLLM: separator tokens (punctuation, line breaks) kept at most.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="299"/>
        <source>local</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="299"/>
        <source>SepLLM: recent window in tokens.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="313"/>
        <source>Choose a model folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="329"/>
        <source>Max tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="334"/>
        <source>Largest number of tokens the model may choose per run (forced gist tokens do not count).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="337"/>
        <source>Backend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="340"/>
        <source>Auto</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="341"/>
        <source>CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="342"/>
        <source>CUDA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="343"/>
        <source>Auto uses CUDA when a usable GPU is found and falls back to the CPU otherwise; the status bar says which one runs and why.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="348"/>
        <source>Attention probe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="351"/>
        <source>Record the attention weights of each step&apos;s last query row for the Attention weights view: off, the average over layers, or one layer. Costs some speed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="355"/>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="357"/>
        <source>Run both panes on the problem (Ctrl+R).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="359"/>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="361"/>
        <source>Stop both runs after their current step (Esc). What was generated stays.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="364"/>
        <source>Teaching mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="366"/>
        <source>Pause at each compression and explain what was kept and what was evicted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="369"/>
        <source>Speed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="375"/>
        <source>Playback speed in decoding steps per second; the rightmost follows the run as fast as it goes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="381"/>
        <source>%1 steps/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="381"/>
        <source>max</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="416"/>
        <source>Play or pause the replay (Space).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="421"/>
        <source>Step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="424"/>
        <source>The decoding step every view shows. Drag to replay the run.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="448"/>
        <source>KV cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="448"/>
        <source>Attention mask</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="448"/>
        <source>Attention weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="448"/>
        <source>Metrics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="481"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="482"/>
        <source>&amp;Open traces…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="484"/>
        <source>Open one or two recorded runs (JSON Lines traces) to replay them without a model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="485"/>
        <source>&amp;Save traces…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="487"/>
        <source>&amp;Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="488"/>
        <source>KV cache plot…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="489"/>
        <source>Attention mask…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="490"/>
        <source>Attention weights…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="491"/>
        <source>Metrics table (CSV)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="493"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="496"/>
        <location filename="../app/gui/main_window.cpp" line="497"/>
        <source>&amp;Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="499"/>
        <source>&amp;Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="501"/>
        <source>&amp;Play / pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="504"/>
        <source>&amp;Teaching mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="510"/>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="511"/>
        <source>Show &amp;evicted text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="514"/>
        <source>Show the greyed text of compressed thoughts, or only their gist chips.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="524"/>
        <source>&amp;Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="525"/>
        <source>&amp;Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="527"/>
        <source>Follow the system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="542"/>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="543"/>
        <source>&amp;About GistScope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="544"/>
        <source>About GistScope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="545"/>
        <source>&lt;b&gt;GistScope&lt;/b&gt; %1&lt;br&gt;Watch a LightThinker model compress its thoughts into gist tokens, next to a vanilla or KV-eviction baseline.&lt;br&gt;&lt;br&gt;Plots: QCustomPlot (GPL-3.0).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="553"/>
        <source>Examples…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="556"/>
        <source>No examples found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="584"/>
        <source>none (left pane only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="585"/>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="627"/>
        <source>Off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="628"/>
        <source>Average of layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="629"/>
        <source>Layer %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="696"/>
        <source>No problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="696"/>
        <source>Type a problem or choose one from the examples first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="704"/>
        <source>Model missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="705"/>
        <source>The %1 pane has no usable model: %2 is not a model folder (config.json, model.safetensors, tokenizer). Choose another model, or build the demo models with training/train_all.sh.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="708"/>
        <source>(none chosen)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="790"/>
        <source>Cannot load the model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="791"/>
        <source>The model of the %1 pane could not be loaded:
%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="793"/>
        <source>Cannot run this problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="793"/>
        <source>The %1 pane cannot run this problem:
%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="795"/>
        <source>The run failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="795"/>
        <source>The %1 pane stopped with an error:
%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="878"/>
        <source>&lt;b&gt;Step %1 — %2 compressed thought %3.&lt;/b&gt; The thought&apos;s %4 tokens (positions %5–%6, its splitter included) were written into %7 gist token(s)%8, then evicted from the KV cache. Kept: the prompt (%9 tokens), the gists of earlier thoughts and the new gists. The cache went from %10 to %11 tokens; the next token sees only what was kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="889"/>
        <source> and the continue token [o]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="917"/>
        <source>stopping…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="917"/>
        <source>running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="918"/>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="919"/>
        <source>stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="919"/>
        <source>finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="939"/>
        <location filename="../app/gui/main_window.cpp" line="995"/>
        <source>step %1 / %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="974"/>
        <source>Replay, recorded on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="976"/>
        <source>Backend: %1 (chosen when a run starts)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="979"/>
        <source>Device and backend of the runs, and why the CPU is used when it is.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="980"/>
        <location filename="../app/gui/main_window.cpp" line="981"/>
        <source>%1 tok/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="989"/>
        <source>%1 / %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="994"/>
        <source>cache –</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="994"/>
        <source>cache %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1011"/>
        <source>Too many traces</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1011"/>
        <source>Open one trace, or two to compare them side by side (left, right).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1015"/>
        <source>A run is in progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1015"/>
        <source>Stop the run before opening traces.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1023"/>
        <source>Cannot open the trace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1024"/>
        <source>%1 is not a readable GistScope trace:
%2

The runs on screen are unchanged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/main_window.cpp" line="1052"/>
        <source>Opened %n trace(s); drag the step slider or press Play to replay.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1066"/>
        <location filename="../app/gui/main_window.cpp" line="1077"/>
        <source>Cannot save the traces</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1077"/>
        <location filename="../app/gui/main_window.cpp" line="1155"/>
        <location filename="../app/gui/main_window.cpp" line="1161"/>
        <source>Cannot write %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1083"/>
        <source>Nothing to save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1083"/>
        <source>Run a problem first: its two runs are recorded as traces.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/main_window.cpp" line="1086"/>
        <source>Saved %n trace(s) to %1</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1095"/>
        <source>Cannot export the metrics to %1: the table is written as CSV, use a .csv file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1105"/>
        <source>Export failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1105"/>
        <source>Nothing was written; the views are unchanged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1108"/>
        <source>Exported %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1118"/>
        <source>CSV table (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1119"/>
        <source>PNG image (*.png);;PDF document (*.pdf);;SVG drawing (*.svg);;CSV data (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1121"/>
        <source>Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1129"/>
        <source>Open traces</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1130"/>
        <source>GistScope traces (*.jsonl *.trace);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1135"/>
        <source>Save traces to folder</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>gistscope::gui::RunPane</name>
    <message>
        <location filename="../app/gui/run_pane.cpp" line="45"/>
        <source>The LightThinker run appears here.
Choose a problem and press Run, or open a trace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/run_pane.cpp" line="46"/>
        <source>The comparison run appears here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/run_pane.cpp" line="57"/>
        <source>LightThinker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/run_pane.cpp" line="57"/>
        <source>Comparison</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/run_pane.cpp" line="72"/>
        <source>%1 tokens · cache %2 · peak %3 · %n compression(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/gui/run_pane.cpp" line="77"/>
        <source>(no \boxed{} answer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/run_pane.cpp" line="78"/>
        <source>answer &lt;b&gt;%1&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/run_pane.cpp" line="80"/>
        <source>correct</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/run_pane.cpp" line="81"/>
        <source>wrong</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>gistscope::ui</name>
    <message>
        <location filename="../widgets/export.cpp" line="26"/>
        <source>Give one or two traces, got %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/export.cpp" line="35"/>
        <source>The metrics export is a table: use a .csv file, not %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>gistscope::ui::RolePalette</name>
    <message>
        <location filename="../widgets/role_palette.cpp" line="10"/>
        <source>prompt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/role_palette.cpp" line="11"/>
        <source>live thought</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/role_palette.cpp" line="12"/>
        <source>gist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/role_palette.cpp" line="13"/>
        <source>continue [o]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/role_palette.cpp" line="14"/>
        <source>answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/role_palette.cpp" line="15"/>
        <source>evicted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/role_palette.cpp" line="16"/>
        <source>not generated yet</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
