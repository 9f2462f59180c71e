import { Link } from 'react-router-dom';

export function NotFound() {
  return (
    <div className="signin-page">
      <div className="signin-card">
        <h1>Page not found</h1>
        <p>
          There is nothing at this address. <Link to="/">Go to your home page</Link>.
        </p>
      </div>
    </div>
  );
}
