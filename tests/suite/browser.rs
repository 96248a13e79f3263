//! Headless Chromium for tests, driven over WebDriver (Debian's
//! chromium-driver), and a small static file server for built sites. Only
//! ever talks to 127.0.0.1; never downloads a browser.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, MouseActions, PointerAction};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

/// Where Debian puts them.
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// WebDriver's codes for the keys tests press.
pub const TAB: char = '\u{e004}';
pub const ENTER: char = '\u{e007}';
pub const ESCAPE: char = '\u{e00c}';

/// A headless Chromium session; the browser and its driver stop when dropped.
pub struct Browser {
    runtime: tokio::runtime::Runtime,
    client: Option<Client>,
    driver: Child,
    port: u16,
    session: String,
    _profile: tempfile::TempDir,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Browser {
    /// Starts chromedriver and a headless Chromium session. On a loaded
    /// machine either can fail to come up in time; a second try is cheap.
    pub fn start() -> Browser {
        let mut failures = Vec::new();
        for _ in 0..3 {
            match Browser::try_start() {
                Ok(browser) => return browser,
                Err(e) => failures.push(e),
            }
        }
        panic!("could not start {CHROMIUM}:\n{}", failures.join("\n"));
    }

    fn try_start() -> Result<Browser, String> {
        let port = free_port();
        let mut driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{CHROMEDRIVER}: {e} (install chromium-driver)"));
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if start.elapsed() > Duration::from_secs(20) {
                let _ = driver.kill();
                let _ = driver.wait();
                return Err("chromedriver did not start".into());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let profile = tempfile::tempdir().unwrap();
        let args = vec![
            "--headless".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-dev-shm-usage".into(),
            "--window-size=1024,768".into(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let mut capabilities = serde_json::Map::new();
        capabilities
            .insert("goog:chromeOptions".into(), json!({ "binary": CHROMIUM, "args": args }));
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let connected = runtime.block_on(
            ClientBuilder::new(connector)
                .capabilities(capabilities)
                .connect(&format!("http://127.0.0.1:{port}")),
        );
        let client = match connected {
            Ok(client) => client,
            Err(e) => {
                let _ = driver.kill();
                let _ = driver.wait();
                return Err(e.to_string());
            }
        };
        let session = runtime.block_on(client.session_id()).unwrap().unwrap();
        Ok(Browser { runtime, client: Some(client), driver, port, session, _profile: profile })
    }

    fn client(&self) -> &Client {
        self.client.as_ref().unwrap()
    }

    pub fn goto(&self, url: &str) {
        assert!(url.starts_with("http://127.0.0.1:"), "tests browse only 127.0.0.1: {url}");
        self.runtime.block_on(self.client().goto(url)).unwrap();
    }

    /// Where the page is now.
    pub fn url(&self) -> String {
        self.runtime.block_on(self.client().current_url()).unwrap().to_string()
    }

    /// Runs a script in the page (`return …` gives its value).
    pub fn run(&self, script: &str) -> Value {
        self.runtime.block_on(self.client().execute(script, Vec::new())).unwrap()
    }

    /// Polls a JavaScript expression until it is true, for at most `patience`.
    pub fn wait_until(&self, expression: &str, patience: Duration) {
        let start = Instant::now();
        let script = format!("return !!({expression});");
        loop {
            // A reload in progress makes a script fail: just try again.
            let ready = self.runtime.block_on(self.client().execute(&script, Vec::new()));
            if matches!(ready, Ok(Value::Bool(true))) {
                return;
            }
            if start.elapsed() > patience {
                let html = self.runtime.block_on(self.client().source()).unwrap_or_default();
                panic!("never true: {expression}\npage:\n{html}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The first element that matches a CSS selector.
    pub fn find(&self, css: &str) -> Element {
        self.runtime
            .block_on(self.client().find(Locator::Css(css)))
            .unwrap_or_else(|e| panic!("no {css}: {e}"))
    }

    pub fn click(&self, css: &str) {
        let element = self.find(css);
        self.runtime.block_on(element.click()).unwrap();
    }

    /// Types into an element, as a user would (`TAB`, `ENTER`, `ESCAPE` work).
    pub fn type_into(&self, css: &str, text: &str) {
        let element = self.find(css);
        self.runtime.block_on(element.send_keys(text)).unwrap();
    }

    /// Presses and releases a key wherever the focus is.
    pub fn press(&self, key: char) {
        let keys = fantoccini::actions::KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
        self.runtime.block_on(self.client().perform_actions(keys)).unwrap();
    }

    /// Moves the mouse onto the middle of an element (scrolled into view).
    pub fn hover(&self, css: &str) {
        self.run_with(css, "arguments[0].scrollIntoView({block: 'center'});");
        let element = self.find(css);
        let mouse = MouseActions::new("mouse".into()).then(PointerAction::MoveToElement {
            element,
            duration: Some(Duration::from_millis(50)),
            x: 0.0,
            y: 0.0,
        });
        self.runtime.block_on(self.client().perform_actions(mouse)).unwrap();
    }

    /// Moves the mouse to a point of the viewport.
    pub fn move_mouse_to(&self, x: f64, y: f64) {
        let mouse = MouseActions::new("mouse".into()).then(PointerAction::MoveTo {
            duration: Some(Duration::from_millis(50)),
            x,
            y,
        });
        self.runtime.block_on(self.client().perform_actions(mouse)).unwrap();
    }

    /// Runs a script with the element `css` as `arguments[0]`.
    pub fn run_with(&self, css: &str, script: &str) -> Value {
        let element = self.find(css);
        let argument = serde_json::to_value(element).unwrap();
        self.runtime.block_on(self.client().execute(script, vec![argument])).unwrap()
    }

    /// Sends a Chrome DevTools Protocol command through chromedriver.
    pub fn cdp(&self, command: &str, params: Value) -> Value {
        let body = json!({ "cmd": command, "params": params }).to_string();
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(
            stream,
            "POST /session/{}/goog/cdp/execute HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.session,
            self.port,
            body.len()
        )
        .unwrap();
        // chromedriver keeps the connection open: read Content-Length bytes.
        let mut reader = BufReader::new(stream);
        let mut status = String::new();
        reader.read_line(&mut status).unwrap();
        let mut length = 0;
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap() > 2 {
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().unwrap();
            }
            line.clear();
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        let body = String::from_utf8_lossy(&body);
        assert!(status.starts_with("HTTP/1.1 200"), "{command}: {status}{body}");
        let mut value: Value = serde_json::from_str(&body).unwrap();
        value["value"].take()
    }

    /// The page is laid out as in a window of this size (`mobile`: as on a
    /// phone, honouring `<meta name="viewport">`); the next `goto` uses it.
    pub fn viewport(&self, width: u32, height: u32, mobile: bool) {
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile }),
        );
    }

    /// Turns the pages' scripts off (or on again) for the next `goto`;
    /// `run` still works.
    pub fn javascript(&self, on: bool) {
        self.cdp("Emulation.setScriptExecutionDisabled", json!({ "value": !on }));
    }

    /// A PNG of the whole page, not only what the viewport shows.
    pub fn screenshot_full_page(&self) -> Vec<u8> {
        let shot = self.cdp(
            "Page.captureScreenshot",
            json!({ "format": "png", "captureBeyondViewport": true }),
        );
        base64_decode(shot["data"].as_str().unwrap())
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            let _ = self.runtime.block_on(client.close());
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Standard base64 (what DevTools sends screenshots in).
fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let digits: Vec<u8> = text.bytes().filter(|&c| c != b'=').map(value).collect();
    let mut bytes = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &d)| n | u32::from(d) << (18 - 6 * i));
        bytes.extend(n.to_be_bytes()[1..chunk.len()].iter());
    }
    bytes
}

/// Serves the folder `root` under `/prefix/` (`"/"` for the host's root)
/// on `listener`, until the test run ends. GET only, files only, no path may
/// leave `root`; a folder is its `index.html`.
pub fn serve(listener: TcpListener, root: PathBuf, prefix: &'static str) {
    assert!(listener.local_addr().unwrap().ip().is_loopback(), "serve only on 127.0.0.1");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || answer(stream, &root, prefix));
        }
    });
}

/// The demo site (`harness::demo()`), served at the root of a loopback
/// port; its address, ending in `/`.
pub fn demo_url() -> &'static str {
    static URL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    URL.get_or_init(|| {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://127.0.0.1:{}/", listener.local_addr().unwrap().port());
        serve(listener, crate::harness::demo().to_path_buf(), "/");
        url
    })
}

fn answer(mut stream: TcpStream, root: &Path, prefix: &str) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    // Drain the headers.
    let mut line = String::new();
    while reader.read_line(&mut line).map(|n| n > 2).unwrap_or(false) {
        line.clear();
    }
    let target = request.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let file = path
        .strip_prefix(prefix)
        .filter(|rest| !rest.split('/').any(|part| part == ".."))
        .map(|rest| {
            let file = root.join(rest);
            if file.is_dir() { file.join("index.html") } else { file }
        });
    let response = match file.and_then(|f| std::fs::read(&f).ok().map(|b| (f, b))) {
        Some((file, body)) => {
            let kind = match file.extension().and_then(OsStr::to_str) {
                Some("html") => "text/html; charset=utf-8",
                Some("js") => "text/javascript",
                Some("css") => "text/css",
                Some("json") => "application/json",
                Some("xml") => "application/xml",
                Some("svg") => "image/svg+xml",
                Some("png") => "image/png",
                Some("txt") => "text/plain; charset=utf-8",
                _ => "application/octet-stream",
            };
            (format!("200 OK\r\nContent-Type: {kind}"), body)
        }
        None => ("404 Not Found\r\nContent-Type: text/plain".to_string(), b"not found".to_vec()),
    };
    let head = format!(
        "HTTP/1.1 {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        response.0,
        response.1.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&response.1);
}
