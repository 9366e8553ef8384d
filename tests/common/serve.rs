//! A real `ffkg serve` for the integration tests: started on a free loopback port, stopped
//! with SIGTERM (or killed when dropped), driven with curl.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `ffkg serve`, stopped when dropped.
pub struct Served {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub base: String,
}

impl Served {
    pub fn start(args: &[&str]) -> Self {
        // A free port: bound and let go, then given to the server.
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let bind = format!("127.0.0.1:{port}");
        let mut child = Command::new(assert_cmd::cargo::cargo_bin!("ffkg"))
            .args(["serve", "--bind", &bind])
            .args(args)
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("ffkg serve starts");
        let stderr = child.stderr.take().expect("stderr");
        let mut lines = BufReader::new(stderr).lines();
        let started = Instant::now();
        loop {
            let line = lines
                .next()
                .expect("the server says where it listens")
                .expect("stderr");
            if line.contains("listening on") {
                assert!(line.contains(&bind), "{line}");
                break;
            }
            assert!(started.elapsed() < Duration::from_secs(30), "no start");
        }
        // Keep draining the request log so the server never blocks on it.
        std::thread::spawn(move || for _ in lines {});
        Self {
            child,
            base: format!("http://{bind}"),
        }
    }

    /// The server's process id.
    #[allow(dead_code)] // Not every test binary that shares this module reads it.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// curl's status code and body.
    pub fn curl(&self, args: &[&str]) -> (u16, String) {
        let output = Command::new("curl")
            .args(["-s", "-w", "\n%{http_code}"])
            .args(args)
            .output()
            .expect("curl runs");
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        let (body, code) = text.rsplit_once('\n').expect("a status line");
        (code.trim().parse().expect("a status"), body.to_owned())
    }

    pub fn stop(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill runs");
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(started.elapsed() < Duration::from_secs(30), "did not stop");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
