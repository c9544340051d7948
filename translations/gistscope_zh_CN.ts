<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
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
        <location filename="../widgets/plot_view.cpp" line="96" />
        <location filename="../widgets/plot_view.cpp" line="101" />
        <source>Cannot write %1: %2.</source>
        <translation>无法写入 %1：%2。</translation>
    </message>
</context>
<context>
    <name>gistscope::gui::MainWindow</name>
    <message>
        <location filename="../app/gui/main_window.cpp" line="65" />
        <source>LightThinker: after each thought the model writes a few gist tokens and the thought's KV entries are evicted; later tokens see only the gists.</source>
        <translation>LightThinker：每段思考之后模型写出几个要点词元，并逐出这段思考的 KV 条目；之后的词元只能看到要点。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="68" />
        <source>LightThinker, token level: compress every S generated tokens instead of at each thought.</source>
        <translation>LightThinker 词元级：每生成 S 个词元压缩一次，而不是每段思考压缩一次。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="71" />
        <source>AnLLM: the model writes an anchor token after each sentence; the sentence is evicted and the anchor stays.</source>
        <translation>AnLLM：模型在每句之后写出一个锚点词元；句子被逐出，锚点保留。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="74" />
        <source>Vanilla: nothing is evicted; the cache grows with every token.</source>
        <translation>原始模型：不逐出任何内容；缓存随每个词元增长。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="75" />
        <source>H2O: a fixed cache budget; keeps the recent tokens and the heavy hitters (most attended tokens), evicts the rest.</source>
        <translation>H2O：固定的缓存预算；保留最近的词元和“重击者”（最受关注的词元），逐出其余部分。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="78" />
        <source>SepLLM: a fixed budget of initial tokens, separator tokens (punctuation) and a recent window.</source>
        <translation>SepLLM：固定预算，由开头词元、分隔符词元（标点）和最近窗口组成。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="108" />
        <source>GistScope</source>
        <translation>GistScope</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="182" />
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="183" />
        <source>Resume the playback until the next compression.</source>
        <translation>继续播放，直到下一次压缩。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="207" />
        <source>Selected position %1 (step %2) in the %3 pane</source>
        <translation>已选中%3的位置 %1（第 %2 步）</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="210" />
        <location filename="../app/gui/main_window.cpp" line="734" />
        <location filename="../app/gui/main_window.cpp" line="816" />
        <source>left</source>
        <translation>左侧</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="210" />
        <location filename="../app/gui/main_window.cpp" line="734" />
        <location filename="../app/gui/main_window.cpp" line="816" />
        <source>right</source>
        <translation>右侧</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="240" />
        <source>&amp;Problem:</source>
        <translation>问题(&amp;P)：</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="243" />
        <source>Type a problem, or pick one from the examples.</source>
        <translation>输入一个问题，或从示例中选择。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="244" />
        <source>The question given to both models. The model's chat template and system prompt are added.</source>
        <translation>交给两个模型的问题。会自动加上模型的对话模板和系统提示。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="249" />
        <source>Bundled example problems (resources/datasets/demo-test.jsonl) with their answers.</source>
        <translation>自带的示例问题及答案（resources/datasets/demo-test.jsonl）。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="254" />
        <source>expected answer</source>
        <translation>预期答案</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="255" />
        <source>When known, the answers are marked correct or wrong and the accuracy is shown.</source>
        <translation>已知预期答案时，会标记答案正确或错误，并显示准确性。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="272" />
        <source>Left:</source>
        <translation>左侧：</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="272" />
        <source>Right:</source>
        <translation>右侧：</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="278" />
        <source>Model of the left pane: a folder with config.json, safetensors, tokenizer and gistscope.json.</source>
        <translation>左侧的模型：包含 config.json、safetensors、分词器和 gistscope.json 的文件夹。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="280" />
        <source>Model of the right (comparison) pane; "none" runs the left pane only.</source>
        <translation>右侧（对比）的模型；选“无”则只运行左侧。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="284" />
        <source>How the KV cache is managed during decoding.</source>
        <translation>解码时如何管理 KV 缓存。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="305" />
        <source>every</source>
        <translation>每</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="305" />
        <source>Token-level LightThinker: compress every S generated tokens.</source>
        <translation>词元级 LightThinker：每生成 S 个词元压缩一次。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="306" />
        <source>budget</source>
        <translation>预算</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="306" />
        <source>Cache budget in tokens (H2O, SepLLM): older tokens are evicted beyond it.</source>
        <translation>缓存预算（词元数，H2O、SepLLM）：超出后逐出较早的词元。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="307" />
        <source>recent</source>
        <translation>最近</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="307" />
        <source>H2O: tokens of the recent window kept; -1 uses half the budget, as the paper ran it.</source>
        <translation>H2O：保留的最近窗口词元数；-1 表示使用预算的一半，与论文相同。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="308" />
        <source>initial</source>
        <translation>开头</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="308" />
        <source>SepLLM: initial tokens always kept (attention sinks).</source>
        <translation>SepLLM：始终保留的开头词元（注意力汇聚点）。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="309" />
        <source>separators</source>
        <translation>分隔符</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="309" />
        <source>SepLLM: separator tokens (punctuation, line breaks) kept at most.</source>
        <translation>SepLLM：最多保留的分隔符词元（标点、换行）数。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="310" />
        <source>local</source>
        <translation>局部</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="310" />
        <source>SepLLM: recent window in tokens.</source>
        <translation>SepLLM：最近窗口的词元数。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="324" />
        <source>Choose a model folder</source>
        <translation>选择模型文件夹</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="340" />
        <source>Max tokens</source>
        <translation>最大词元数</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="345" />
        <source>Largest number of tokens the model may choose per run (forced gist tokens do not count).</source>
        <translation>每次运行模型最多可选择的词元数（强制插入的要点词元不计入）。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="348" />
        <source>Backend</source>
        <translation>后端</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="351" />
        <source>Auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="352" />
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="353" />
        <source>CUDA</source>
        <translation>CUDA</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="354" />
        <source>Auto uses CUDA when a usable GPU is found and falls back to the CPU otherwise; the status bar says which one runs and why.</source>
        <translation>“自动”在找到可用 GPU 时使用 CUDA，否则退回 CPU；状态栏会显示实际使用的后端及原因。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="359" />
        <source>Attention probe</source>
        <translation>注意力探针</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="362" />
        <source>Record the attention weights of each step's last query row for the Attention weights view: off, the average over layers, or one layer. Costs some speed.</source>
        <translation>为“注意力权重”视图记录每一步最后一个查询行的注意力权重：关闭、各层平均或某一层。会降低一些速度。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="369" />
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="371" />
        <source>Run both panes on the problem (Ctrl+R).</source>
        <translation>用两侧的设置运行这个问题（Ctrl+R）。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="373" />
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="375" />
        <source>Stop both runs after their current step (Esc). What was generated stays.</source>
        <translation>在当前步之后停止两个运行（Esc）。已生成的内容会保留。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="378" />
        <source>Teaching mode</source>
        <translation>教学模式</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="380" />
        <source>Pause at each compression and explain what was kept and what was evicted.</source>
        <translation>在每次压缩时暂停，并解释保留了什么、逐出了什么。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="383" />
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="389" />
        <source>Playback speed in decoding steps per second; the rightmost follows the run as fast as it goes.</source>
        <translation>播放速度（每秒解码步数）；最右端表示跟随运行的实际速度。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="394" />
        <source>%1 steps/s</source>
        <translation>每秒 %1 步</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="394" />
        <source>max</source>
        <translation>最快</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="429" />
        <source>Play or pause the replay (Space).</source>
        <translation>播放或暂停回放（空格）。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="434" />
        <source>Step</source>
        <translation>步</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="437" />
        <source>The decoding step every view shows. Drag to replay the run.</source>
        <translation>所有视图显示的解码步。拖动以回放运行。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="461" />
        <source>KV cache</source>
        <translation>KV 缓存</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="461" />
        <source>Attention mask</source>
        <translation>注意力掩码</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="461" />
        <source>Attention weights</source>
        <translation>注意力权重</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="461" />
        <source>Metrics</source>
        <translation>指标</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="494" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="495" />
        <source>&amp;Open traces…</source>
        <translation>打开轨迹(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="497" />
        <source>Open one or two recorded runs (JSON Lines traces) to replay them without a model.</source>
        <translation>打开一个或两个已记录的运行（JSON Lines 轨迹），无需模型即可回放。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="498" />
        <source>&amp;Save traces…</source>
        <translation>保存轨迹(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="500" />
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="501" />
        <source>KV cache plot…</source>
        <translation>KV 缓存图…</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="502" />
        <source>Attention mask…</source>
        <translation>注意力掩码…</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="503" />
        <source>Attention weights…</source>
        <translation>注意力权重…</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="504" />
        <source>Metrics table (CSV)…</source>
        <translation>指标表（CSV）…</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="506" />
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="509" />
        <location filename="../app/gui/main_window.cpp" line="510" />
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="512" />
        <source>&amp;Stop</source>
        <translation>停止(&amp;S)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="514" />
        <source>&amp;Play / pause</source>
        <translation>播放 / 暂停(&amp;P)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="517" />
        <source>&amp;Teaching mode</source>
        <translation>教学模式(&amp;T)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="523" />
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="524" />
        <source>Show &amp;evicted text</source>
        <translation>显示被逐出的文本(&amp;E)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="527" />
        <source>Show the greyed text of compressed thoughts, or only their gist chips.</source>
        <translation>显示已压缩思考的灰色文本，或只显示其要点标签。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="534" />
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="536" />
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="537" />
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="551" />
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="552" />
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="536" />
        <location filename="../app/gui/main_window.cpp" line="554" />
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="569" />
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="570" />
        <source>&amp;About GistScope</source>
        <translation>关于 GistScope(&amp;A)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="571" />
        <source>About GistScope</source>
        <translation>关于 GistScope</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="572" />
        <source>&lt;b&gt;GistScope&lt;/b&gt; %1&lt;br&gt;Watch a LightThinker model compress its thoughts into gist tokens, next to a vanilla or KV-eviction baseline.&lt;br&gt;&lt;br&gt;Plots: QCustomPlot (GPL-3.0).</source>
        <translation>&lt;b&gt;GistScope&lt;/b&gt; %1&lt;br&gt;观察 LightThinker 模型如何把思考压缩成要点词元，并与原始模型或 KV 逐出基线对比。&lt;br&gt;&lt;br&gt;绘图：QCustomPlot（GPL-3.0）。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="580" />
        <source>Examples…</source>
        <translation>示例…</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="583" />
        <source>No examples found</source>
        <translation>未找到示例</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="611" />
        <source>none (left pane only)</source>
        <translation>无（只运行左侧）</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="612" />
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="365" />
        <location filename="../app/gui/main_window.cpp" line="654" />
        <source>Off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="366" />
        <location filename="../app/gui/main_window.cpp" line="655" />
        <source>Average of layers</source>
        <translation>各层平均</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="656" />
        <source>Layer %1</source>
        <translation>第 %1 层</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="723" />
        <source>No problem</source>
        <translation>没有问题</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="723" />
        <source>Type a problem or choose one from the examples first.</source>
        <translation>请先输入一个问题或从示例中选择。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="731" />
        <source>Model missing</source>
        <translation>缺少模型</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="732" />
        <source>The %1 pane has no usable model: %2 is not a model folder (config.json, model.safetensors, tokenizer). Choose another model, or build the demo models with training/train_all.sh.</source>
        <translation>%1没有可用的模型：%2 不是模型文件夹（需要 config.json、model.safetensors 和分词器）。请选择其他模型，或用 training/train_all.sh 构建演示模型。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="735" />
        <source>(none chosen)</source>
        <translation>（未选择）</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="818" />
        <source>Cannot load the model</source>
        <translation>无法加载模型</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="819" />
        <source>The model of the %1 pane could not be loaded:
%2</source>
        <translation>无法加载%1的模型：
%2</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="821" />
        <source>Cannot run this problem</source>
        <translation>无法运行这个问题</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="821" />
        <source>The %1 pane cannot run this problem:
%2</source>
        <translation>%1无法运行这个问题：
%2</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="823" />
        <source>The run failed</source>
        <translation>运行失败</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="823" />
        <source>The %1 pane stopped with an error:
%2</source>
        <translation>%1因错误而停止：
%2</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="906" />
        <source>&lt;b&gt;Step %1 — %2 compressed thought %3.&lt;/b&gt; The thought's %4 tokens (positions %5–%6, its splitter included) were written into %7 gist token(s)%8, then evicted from the KV cache. Kept: the prompt (%9 tokens), the gists of earlier thoughts and the new gists. The cache went from %10 to %11 tokens; the next token sees only what was kept.</source>
        <translation>&lt;b&gt;第 %1 步 — %2 压缩了思考 %3。&lt;/b&gt;这段思考的 %4 个词元（位置 %5–%6，包括分隔符）被写入 %7 个要点词元%8，随后从 KV 缓存中逐出。保留的是：提示（%9 个词元）、之前各段思考的要点以及新的要点。缓存从 %10 个词元变为 %11 个；下一个词元只能看到保留的内容。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="917" />
        <source> and the continue token [o]</source>
        <translation>和继续词元 [o]</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="951" />
        <source>stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="951" />
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="952" />
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="953" />
        <source>replay</source>
        <translation>回放</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="954" />
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="954" />
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="980" />
        <location filename="../app/gui/main_window.cpp" line="1041" />
        <source>step %1 / %2</source>
        <translation>第 %1 / %2 步</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1020" />
        <source>Replay, recorded on %1</source>
        <translation>回放，记录于 %1</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1022" />
        <source>Backend: %1 (chosen when a run starts)</source>
        <translation>后端：%1（运行开始时确定）</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1025" />
        <source>Device and backend of the runs, and why the CPU is used when it is.</source>
        <translation>运行所用的设备和后端，以及使用 CPU 的原因。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1026" />
        <location filename="../app/gui/main_window.cpp" line="1027" />
        <source>%1 tok/s</source>
        <translation>%1 词元/秒</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1035" />
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1040" />
        <source>cache –</source>
        <translation>缓存 –</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1040" />
        <source>cache %1</source>
        <translation>缓存 %1</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1057" />
        <source>Too many traces</source>
        <translation>轨迹过多</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1057" />
        <source>Open one trace, or two to compare them side by side (left, right).</source>
        <translation>请打开一个轨迹，或打开两个以并排对比（左、右）。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1061" />
        <source>A run is in progress</source>
        <translation>正在运行</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1061" />
        <source>Stop the run before opening traces.</source>
        <translation>请先停止运行再打开轨迹。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1069" />
        <source>Cannot open the trace</source>
        <translation>无法打开轨迹</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1070" />
        <source>%1 is not a readable GistScope trace:
%2

The runs on screen are unchanged.</source>
        <translation>%1 不是可读取的 GistScope 轨迹：
%2

屏幕上的运行保持不变。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1130" />
        <location filename="../app/gui/main_window.cpp" line="1141" />
        <source>Cannot save the traces</source>
        <translation>无法保存轨迹</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1141" />
        <location filename="../app/gui/main_window.cpp" line="1224" />
        <location filename="../app/gui/main_window.cpp" line="1230" />
        <source>Cannot write %1.</source>
        <translation>无法写入 %1。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1147" />
        <source>Nothing to save</source>
        <translation>没有可保存的内容</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1147" />
        <source>Run a problem first: its two runs are recorded as traces.</source>
        <translation>请先运行一个问题：它的两个运行会被记录为轨迹。</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/main_window.cpp" line="1150" />
        <source>Saved %n trace(s) to %1</source>
        <translation><numerusform>已将 %n 个轨迹保存到 %1</numerusform></translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1159" />
        <source>Cannot export the metrics to %1: the table is written as CSV, use a .csv file.</source>
        <translation>无法将指标导出到 %1：表格以 CSV 格式写出，请使用 .csv 文件。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1169" />
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1169" />
        <source>Nothing was written; the views are unchanged.</source>
        <translation>没有写入任何内容；视图保持不变。</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1172" />
        <source>Exported %1</source>
        <translation>已导出 %1</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1182" />
        <source>CSV table (*.csv)</source>
        <translation>CSV 表格 (*.csv)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1183" />
        <source>PNG image (*.png);;PDF document (*.pdf);;SVG drawing (*.svg);;CSV data (*.csv)</source>
        <translation>PNG 图像 (*.png);;PDF 文档 (*.pdf);;SVG 矢量图 (*.svg);;CSV 数据 (*.csv)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1185" />
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1193" />
        <source>Open traces</source>
        <translation>打开轨迹</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1194" />
        <source>GistScope traces (*.jsonl *.trace);;All files (*)</source>
        <translation>GistScope 轨迹 (*.jsonl *.trace);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="1199" />
        <source>Save traces to folder</source>
        <translation>将轨迹保存到文件夹</translation>
    </message>
</context>
<context>
    <name>gistscope::gui::RunPane</name>
    <message>
        <location filename="../app/gui/run_pane.cpp" line="48" />
        <source>The LightThinker run appears here.
Choose a problem and press Run, or open a trace.</source>
        <translation>LightThinker 的运行显示在这里。
选择一个问题并按“运行”，或打开一个轨迹。</translation>
    </message>
    <message>
        <location filename="../app/gui/run_pane.cpp" line="49" />
        <source>The comparison run appears here.</source>
        <translation>对比运行显示在这里。</translation>
    </message>
    <message>
        <location filename="../app/gui/run_pane.cpp" line="60" />
        <source>LightThinker</source>
        <translation>LightThinker</translation>
    </message>
    <message>
        <location filename="../app/gui/run_pane.cpp" line="60" />
        <source>Comparison</source>
        <translation>对比</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/run_pane.cpp" line="75" />
        <source>%1 tokens · cache %2 · peak %3 · %n compression(s)</source>
        <translation><numerusform>%1 个词元 · 缓存 %2 · 峰值 %3 · %n 次压缩</numerusform></translation>
    </message>
    <message>
        <location filename="../app/gui/run_pane.cpp" line="80" />
        <source>(no \boxed{} answer)</source>
        <translation>（没有 \boxed{} 答案）</translation>
    </message>
    <message>
        <location filename="../app/gui/run_pane.cpp" line="81" />
        <source>answer &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>答案 &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../app/gui/run_pane.cpp" line="83" />
        <source>correct</source>
        <translation>正确</translation>
    </message>
    <message>
        <location filename="../app/gui/run_pane.cpp" line="84" />
        <source>wrong</source>
        <translation>错误</translation>
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
</context>
<context>
    <name>gistscope::ui::AttentionHeatmap</name>
    <message>
        <location filename="../widgets/attention_heatmap.cpp" line="18" />
        <source>Layer:</source>
        <translation>层：</translation>
    </message>
    <message>
        <location filename="../widgets/attention_heatmap.cpp" line="20" />
        <source>Which layer's attention to draw. The engine records one layer, or the average over all layers, per run (Run ▸ Attention probe).</source>
        <translation>要绘制哪一层的注意力。每次运行引擎只记录一层，或所有层的平均（运行 ▸ 注意力探针）。</translation>
    </message>
    <message>
        <location filename="../widgets/attention_heatmap.cpp" line="23" />
        <source>Logarithmic colour scale</source>
        <translation>对数色标</translation>
    </message>
    <message>
        <location filename="../widgets/attention_heatmap.cpp" line="24" />
        <source>Attention is heavy-tailed (the first tokens take most of it); a log scale shows the small weights on thoughts and gists.</source>
        <translation>注意力呈重尾分布（开头的词元占了大部分）；对数色标能显示思考和要点词元上的小权重。</translation>
    </message>
    <message>
        <location filename="../widgets/attention_heatmap.cpp" line="28" />
        <source>No attention weights in these runs. Turn on Run ▸ Attention probe before running, or open a trace recorded with it (gistscope-cli generate --attention avg).</source>
        <translation>这些运行中没有注意力权重。请在运行前打开“运行 ▸ 注意力探针”，或打开带注意力记录的轨迹（gistscope-cli generate --attention avg）。</translation>
    </message>
    <message>
        <location filename="../widgets/attention_heatmap.cpp" line="47" />
        <source>attention probability (grey: not in the cache)</source>
        <translation>注意力概率（灰色：不在缓存中）</translation>
    </message>
    <message>
        <location filename="../widgets/attention_heatmap.cpp" line="101" />
        <source>average of all layers</source>
        <translation>所有层的平均</translation>
    </message>
    <message>
        <location filename="../widgets/attention_heatmap.cpp" line="101" />
        <source>layer %1</source>
        <translation>第 %1 层</translation>
    </message>
    <message>
        <location filename="../widgets/attention_heatmap.cpp" line="135" />
        <source>, weight %1</source>
        <translation>，权重 %1</translation>
    </message>
    <message>
        <location filename="../widgets/attention_heatmap.cpp" line="136" />
        <source>, not attended</source>
        <translation>，未被关注</translation>
    </message>
</context>
<context>
    <name>gistscope::ui::HeatmapView</name>
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
        <location filename="../widgets/heatmap_view.cpp" line="75" />
        <source>step %1, position %2</source>
        <translation>第 %1 步，位置 %2</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap_view.cpp" line="77" />
        <source>step %1, position %2: %3 '%4'</source>
        <translation>第 %1 步，位置 %2：%3“%4”</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap_view.cpp" line="103" />
        <source>left pane: no run</source>
        <translation>左侧：无运行</translation>
    </message>
    <message>
        <location filename="../widgets/heatmap_view.cpp" line="103" />
        <source>right pane: no run</source>
        <translation>右侧：无运行</translation>
    </message>
</context>
<context>
    <name>gistscope::ui::MetricsTable</name>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="25" />
        <source>Accuracy</source>
        <translation>准确性</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="25" />
        <source>Answer</source>
        <translation>答案</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="25" />
        <source>Time (s)</source>
        <translation>时间（秒）</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="25" />
        <source>Tokens per second</source>
        <translation>每秒词元数</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="26" />
        <source>Peak tokens</source>
        <translation>峰值词元数</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="26" />
        <source>Peak KV (MiB)</source>
        <translation>KV 峰值（MiB）</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="26" />
        <source>Dependency (M)</source>
        <translation>依赖量（百万）</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="26" />
        <source>Compressions</source>
        <translation>压缩次数</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="27" />
        <source>Thoughts</source>
        <translation>思考段数</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="27" />
        <source>Mean thought length (tokens)</source>
        <translation>平均思考长度（词元）</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="27" />
        <source>Generated tokens</source>
        <translation>生成词元数</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="27" />
        <source>Stopped by</source>
        <translation>停止原因</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="29" />
        <source>Whether the last \boxed{} answer matches the expected answer (spec 7.4).</source>
        <translation>最后一个 \boxed{} 中的答案是否与预期答案一致（规范 7.4）。</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="30" />
        <source>Content of the last \boxed{} in the output.</source>
        <translation>输出中最后一个 \boxed{} 的内容。</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="31" />
        <source>Wall-clock time of prefill and decode.</source>
        <translation>预填充与解码的实际耗时。</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="32" />
        <source>Generated tokens per second of decode.</source>
        <translation>解码阶段每秒生成的词元数。</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="33" />
        <source>Largest number of tokens in the KV cache, counted as the paper does (spec 7.2).</source>
        <translation>KV 缓存中词元数的最大值，按论文的方法计数（规范 7.2）。</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="34" />
        <source>Peak tokens times the KV bytes per token of the model.</source>
        <translation>峰值词元数乘以模型每个词元的 KV 字节数。</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="35" />
        <source>Sum over generated tokens of the context they were generated in, in millions (spec 7.3).</source>
        <translation>每个生成词元所处上下文长度之和，单位为百万（规范 7.3）。</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="36" />
        <source>Thoughts folded into gist tokens.</source>
        <translation>被折叠为要点词元的思考段数。</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="37" />
        <source>Compressed thoughts plus the trailing one.</source>
        <translation>已压缩的思考段数加上最后一段。</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="38" />
        <source>Generated tokens per thought.</source>
        <translation>每段思考的生成词元数。</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="39" />
        <source>Model-chosen tokens, the final end token included.</source>
        <translation>模型选择的词元，包括最后的结束词元。</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="40" />
        <source>Why the run ended.</source>
        <translation>运行结束的原因。</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="69" />
        <source>Left</source>
        <translation>左侧</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="69" />
        <source>Right</source>
        <translation>右侧</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="72" />
        <source>Left / right</source>
        <translation>左 / 右</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="91" />
        <source>correct</source>
        <translation>正确</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="91" />
        <source>wrong</source>
        <translation>错误</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="92" />
        <source>no expected answer</source>
        <translation>无预期答案</translation>
    </message>
    <message>
        <location filename="../widgets/metrics_table.cpp" line="95" />
        <source>running</source>
        <translation>运行中</translation>
    </message>
</context>
<context>
    <name>gistscope::ui::OccupancyPlot</name>
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
        <location filename="../widgets/occupancy_plot.cpp" line="149" />
        <source>%1 — peak %2 tokens, dependency %3 (area)</source>
        <translation>%1 — 峰值 %2 个词元，依赖量 %3（面积）</translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/occupancy_plot.cpp" line="153" />
        <source>, %n compression(s)</source>
        <translation><numerusform>，%n 次压缩</numerusform></translation>
    </message>
    <message>
        <location filename="../widgets/occupancy_plot.cpp" line="163" />
        <source>peak %1</source>
        <translation>峰值 %1</translation>
    </message>
</context>
<context>
    <name>gistscope::ui::PlotView</name>
    <message>
        <location filename="../widgets/plot_view.cpp" line="112" />
        <source>Cannot export to %1: unknown format '%2', expected .png, .pdf, .svg or .csv.</source>
        <translation>无法导出到 %1：未知格式“%2”，应为 .png、.pdf、.svg 或 .csv。</translation>
    </message>
    <message>
        <location filename="../widgets/plot_view.cpp" line="151" />
        <source>Cannot write %1: the %2 export failed.</source>
        <translation>无法写入 %1：%2 导出失败。</translation>
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
<context>
    <name>gistscope::ui::TokenStreamView</name>
    <message>
        <location filename="../widgets/token_stream_view.cpp" line="144" />
        <source>thought %1 · %2 tokens → </source>
        <translation>思考 %1 · %2 个词元 → </translation>
    </message>
    <message>
        <location filename="../widgets/token_stream_view.cpp" line="155" />
        <source> %1 kept</source>
        <translation> 保留 %1 个</translation>
    </message>
    <message>
        <location filename="../widgets/token_stream_view.cpp" line="406" />
        <source>chosen but never fed (end of the run)</source>
        <translation>已选出但未输入模型（运行结束）</translation>
    </message>
    <message>
        <location filename="../widgets/token_stream_view.cpp" line="408" />
        <source>evicted at step %1</source>
        <translation>在第 %1 步被逐出</translation>
    </message>
    <message>
        <location filename="../widgets/token_stream_view.cpp" line="410" />
        <source>in the cache</source>
        <translation>在缓存中</translation>
    </message>
    <message>
        <location filename="../widgets/token_stream_view.cpp" line="413" />
        <source>id %1 · position %2</source>
        <translation>ID %1 · 位置 %2</translation>
    </message>
    <message>
        <location filename="../widgets/token_stream_view.cpp" line="414" />
        <source>role: %1%2</source>
        <translation>角色：%1%2</translation>
    </message>
    <message>
        <location filename="../widgets/token_stream_view.cpp" line="414" />
        <source> (inserted by the method)</source>
        <translation>（由方法插入）</translation>
    </message>
    <message>
        <location filename="../widgets/token_stream_view.cpp" line="416" />
        <source>prefill (step 0)</source>
        <translation>预填充（第 0 步）</translation>
    </message>
    <message>
        <location filename="../widgets/token_stream_view.cpp" line="416" />
        <source>step %1 · thought %2</source>
        <translation>第 %1 步 · 思考 %2</translation>
    </message>
    <message>
        <location filename="../widgets/token_stream_view.cpp" line="433" />
        <source>Compressed thought: click to show or hide its evicted text.</source>
        <translation>已压缩的思考：点击显示或隐藏其被逐出的文本。</translation>
    </message>
</context>
</TS>