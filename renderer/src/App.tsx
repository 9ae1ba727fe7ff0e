export function App() {
  return (
    <main>
      <h1>Mobile Sessions</h1>
      <p>The Apps window arrives with the shell and Apps-window issues. Meanwhile, use the command line:</p>
      <pre>npx mobile-sessions list &lt;MobileApps folder&gt;</pre>
    </main>
  );
}
